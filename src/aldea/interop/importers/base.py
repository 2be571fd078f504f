"""The import engine shared by every registry: header mapping, row validation, batching, modes.

A registry importer declares its columns (canonical English name, Spanish/Portuguese/English
aliases, a parser), its natural key, how to resolve references for a batch and how to write a
batch. The engine streams the file in batches, reports every bad row with line, column and
reason, and writes inside one transaction that it rolls back for ``dry_run`` and for
``all-or-nothing`` when anything was rejected.
"""

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aldea.interop import readers
from aldea.interop.importers.rejects import REJECT_COLUMNS, RejectsWriter
from aldea.interop.importers.writing import ImportBusy, take_import_lock
from aldea.interop.readers import FileRefused, clean_text
from aldea.interop.trail import count_places

BATCH_SIZE = 2000
# Kept in memory for the report and the web page; every reject still goes to the rejects file.
MAX_ERRORS_KEPT = 1000

ALL_OR_NOTHING = "all-or-nothing"
VALID_ROWS = "valid-rows"
MODES = (ALL_OR_NOTHING, VALID_ROWS)


class Reason:
    """The reasons a row is rejected, worded once for the report, the rejects file and the page.

    The values are stable English codes (tests and code compare them); ``RowError.reason_text``
    shows them in the user's language.
    """

    MISSING = gettext_noop("missing required field")
    DUPLICATE = gettext_noop("duplicate key in file")
    UNKNOWN = gettext_noop("unknown reference")
    # A key the importer may not use: it belongs to a record they cannot change (decisions P10).
    UNAVAILABLE = gettext_noop("not available")
    OUT_OF_RANGE = gettext_noop("value out of range")
    BAD_DATE = gettext_noop("bad date")
    BAD_VALUE = gettext_noop("bad value")
    # A figure that a more trusted source gave (docs/interop.md, "Where each figure comes from").
    PRECEDENCE = gettext_noop("kept from a more trusted source")
    DATABASE = gettext_noop("rejected by the database")


@dataclass
class RowError:
    line: int
    column: str  # the canonical column ("founded_year")
    value: str
    reason: str  # a Reason code
    detail: str = ""  # already in the user's language
    header: str = ""  # the file's own header for the column ("Año de fundación"), when it has one

    @property
    def label(self) -> str:
        """The column as the user's file names it (the canonical name for a column it lacks)."""
        return self.header or self.column

    @property
    def reason_text(self) -> str:
        return _(self.reason)

    def __str__(self):
        if self.label:
            where = _("line %(line)s, column %(column)s") % {"line": self.line, "column": self.label}
        else:
            where = _("line %(line)s") % {"line": self.line}
        return f"{where}: {self.reason_text}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class ImportReport:
    kind: str
    path: str
    mode: str
    dry_run: bool
    format: str = ""
    columns: dict = field(default_factory=dict)  # file header → canonical column
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    # Rows read and deliberately not imported (e.g. cancelled orders in a sales report), with why.
    skipped: int = 0
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # RowError, at most MAX_ERRORS_KEPT
    file_error: str = ""
    committed: bool = False
    # Rows sent to the database per programme id, and per MSME id for registries whose rows name
    # an MSME rather than a programme: the audit trail's entry per programme (services.py).
    programme_rows: dict = field(default_factory=dict)
    enterprise_rows: dict = field(default_factory=dict)

    @property
    def written(self) -> int:
        """Rows written to the database (0 after a dry run or a refused all-or-nothing import)."""
        return self.created + self.updated if self.committed else 0

    @property
    def ok(self) -> bool:
        return not self.file_error and self.rejected == 0

    def summary(self) -> str:
        if self.file_error:
            return _("refused: %(error)s") % {"error": self.file_error}
        counts = {"read": self.read, "written": self.written, "would": self.created + self.updated,
                  "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                  "rejected": self.rejected, "skipped": self.skipped}
        parts = [_("read %(read)s") % counts]
        if self.committed:
            parts.append(_("written %(written)s (created %(created)s, updated %(updated)s)") % counts)
        else:
            parts.append(_("would write %(would)s (created %(created)s, updated %(updated)s)") % counts)
        parts += [_("unchanged %(unchanged)s") % counts, _("rejected %(rejected)s") % counts]
        if self.skipped:
            parts.append(_("skipped %(skipped)s") % counts)
        if self.dry_run:
            parts.append(_("dry run, nothing written"))
        if self.mode == ALL_OR_NOTHING and self.rejected and not self.dry_run:
            parts.append(_("all-or-nothing: nothing written"))
        return " · ".join(parts)


class RowInvalid(Exception):
    def __init__(self, column, reason, detail=""):
        super().__init__(detail)
        self.column, self.reason, self.detail = column, reason, detail


@dataclass
class Column:
    """One importable column: ``parse(value, ctx)`` returns the Python value or raises ValueError."""

    name: str
    parse: object
    aliases: tuple = ()
    required: bool = False
    # Reason used when parse raises ValueError.
    reason: str = Reason.BAD_VALUE

    def all_names(self):
        return {readers.normalise_header(self.name), *(readers.normalise_header(a) for a in self.aliases)}


@dataclass
class ParseContext:
    decimal_mark: str = "."


# --- parsers ---------------------------------------------------------------------------------

def _too_long(max_length):
    return ValueError(_("longer than %(count)s characters") % {"count": max_length})


def text(max_length: int):
    def parse(value, ctx):
        result = clean_text(value)
        if len(result) > max_length:
            raise _too_long(max_length)
        return result
    parse.reason = Reason.OUT_OF_RANGE
    return parse


_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def slug(max_length: int):
    def parse(value, ctx):
        result = clean_text(value)
        if len(result) > max_length:
            raise _too_long(max_length)
        if result and not _SLUG.match(result):
            raise ValueError(_("%(value)r may hold only letters, digits, '-' and '_'") % {"value": result})
        return result
    return parse


def integer(minimum=None, maximum=None):
    def parse(value, ctx):
        number = readers.parse_int(value, ctx.decimal_mark)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise _out_of_range(number, minimum, maximum)
        return number
    return parse


def decimal(minimum=None, maximum=None, places=2, max_digits=14):
    def parse(value, ctx):
        number = readers.parse_decimal(value, ctx.decimal_mark)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise _out_of_range(number, minimum, maximum)
        quantised = number.quantize(Decimal(1).scaleb(-places))
        if quantised != number:
            raise RangeError(_("%(value)s has more than %(places)s decimal places") % {"value": number, "places": places})
        if len(quantised.as_tuple().digits) > max_digits:
            raise RangeError(_("%(value)s has too many digits") % {"value": number})
        return quantised
    return parse


def _out_of_range(number, minimum, maximum):
    return RangeError(_("%(value)s is not between %(minimum)s and %(maximum)s") % {
        "value": number, "minimum": minimum, "maximum": maximum})


def boolean(value, ctx):
    return readers.parse_bool(value)


def date(value, ctx):
    return readers.parse_date(value)


def month(value, ctx):
    return readers.parse_month(value)


def choice(choices_class, **aliases):
    """A TextChoices value given as its value, its label or an alias (accents and case ignored)."""
    lookup = {}
    for value, label in choices_class.choices:
        lookup[readers.normalise_header(value)] = value
        lookup[readers.normalise_header(str(label))] = value
    for alias, value in aliases.items():
        lookup[readers.normalise_header(alias)] = value

    seen = {}  # raw cell → value: a column holds a handful of spellings, normalise each once

    def parse(raw, ctx):
        if raw.__class__ is str and raw in seen:
            return seen[raw]
        key = readers.normalise_header(clean_text(raw))
        if key not in lookup:
            allowed = ", ".join(v for v, _label in choices_class.choices)
            raise ValueError(_("%(value)r is not one of %(allowed)s") % {"value": clean_text(raw), "allowed": allowed})
        if raw.__class__ is str and len(seen) < 1000:
            seen[raw] = lookup[key]
        return lookup[key]
    return parse


class RangeError(ValueError):
    """A well-formed value outside its allowed range."""


# --- header mapping --------------------------------------------------------------------------

def map_headers(headers, columns) -> dict[int, Column]:
    """Index of each file column → its Column; refuse unknown, repeated or missing required columns."""
    by_name = {}
    for column in columns:
        for name in column.all_names():
            by_name[name] = column
    mapping, unknown, seen = {}, [], {}
    for index, header in enumerate(headers):
        if header in REJECT_COLUMNS or not header:
            continue
        column = by_name.get(readers.normalise_header(header))
        if column is None:
            unknown.append(header)
            continue
        if column.name in seen:
            raise FileRefused(_("columns %(first)r and %(second)r both mean %(column)r") % {
                "first": seen[column.name], "second": header, "column": column.name})
        seen[column.name] = header
        mapping[index] = column
    problems = []
    if unknown:
        problems.append(_("unknown column(s) %(columns)s (see docs/interop.md for the names each import accepts)")
                        % {"columns": ", ".join(map(repr, unknown))})
    missing = [c.name for c in columns if c.required and c.name not in seen]
    if missing:
        problems.append(_("missing required column(s) %(columns)s") % {"columns": ", ".join(missing)})
    if problems:
        raise FileRefused("; ".join(problems))
    return mapping


# --- the importer ----------------------------------------------------------------------------

@dataclass
class Row:
    line: int
    values: dict  # canonical column → parsed value (only columns present in the file)
    raw: list
    errors: list = field(default_factory=list)

    def reject(self, column, reason, value="", detail=""):
        self.errors.append(RowError(self.line, column, str(value), reason, detail))


class Importer:
    kind = ""
    model = None
    columns: tuple = ()

    def __init__(self, *, defaults=None, user=None):
        from aldea.interop.importers.scope import ImportScope

        self.defaults = defaults or {}
        self.user = user
        self.scope = ImportScope(user)
        self._table_was_empty = None  # learnt at the first batch of each import

    # Hooks for subclasses -----------------------------------------------------------------
    def check_row(self, row: Row):
        """Cross-field checks that need no database (raise nothing; call row.reject)."""

    def key(self, row: Row):
        """The natural key within the file (hashable), or None when the row has no key."""
        raise NotImplementedError

    def resolve(self, rows: list):
        """Turn references into ids for a batch (queries per batch, not per row)."""

    def write(self, rows: list, *, dry_run: bool) -> tuple[int, int, int]:
        """Create or update the batch's rows; return (created, updated, unchanged)."""
        raise NotImplementedError

    def present(self, row, name):
        return name in row.values

    def existing(self, keys, field="code") -> dict:
        """key → instance for the keys of a batch already in the table (one query).

        When the table was empty as the import began nothing can exist but the file's own
        earlier rows, whose repeated keys are rejected as duplicates before this: no query.
        """
        if self._table_was_empty is None:
            self._table_was_empty = not self.model._default_manager.exists()
        if self._table_was_empty:
            return {}
        return {getattr(o, field): o for o in self.model._default_manager.filter(**{f"{field}__in": set(keys)})}

    def existing_in_reach(self, keys, changeable, field="code") -> tuple[dict, set]:
        """(key → instance among ``changeable``, the keys that records out of reach hold).

        Only the instances the importer may change are loaded; of the others, only that their key
        is taken (keys are unique across programmes) is read, so a row can be refused without
        the import ever reading or touching the other record. Two queries per batch at most.
        """
        if self._table_was_empty is None:
            self._table_was_empty = not self.model._default_manager.exists()
        if self._table_was_empty:
            return {}, set()
        keys = set(keys)
        mine = {getattr(o, field): o for o in changeable.filter(**{f"{field}__in": keys})}
        if self.scope.is_unrestricted or len(mine) == len(keys):
            return mine, set()
        taken = set(self.model._default_manager.filter(**{f"{field}__in": keys - set(mine)}).values_list(field, flat=True))
        return mine, taken


def batched(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Abort(Exception):
    pass


def run_import(importer: Importer, path, *, mode=VALID_ROWS, dry_run=False, rejects_path=None,
               sheet=None, batch_size=BATCH_SIZE, table=None, name=None, progress=None) -> ImportReport:
    # ``table``: an already open Table (the Kobo importer passes rows it assembled itself).
    # ``name``: what the user calls the file (an upload's own name), used in messages.
    # ``progress``: called with the rows read so far after each batch (the worker's progress bar).
    """Import ``path`` with ``importer``; never raises for bad input, the report says what happened.

    dry_run and refused all-or-nothing imports roll everything back; valid-rows commits the good
    rows. A file that cannot be read at all (or breaks off part-way) is refused whole, and so is
    an import the database refuses at commit. Imports that write wait for each other
    (``take_import_lock``).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    report = ImportReport(kind=importer.kind, path=str(name or path), mode=mode, dry_run=dry_run)
    importer._table_was_empty = None
    rejects = RejectsWriter(rejects_path)
    try:
        with table or readers.open_table(path, sheet=sheet, name=name) as opened:
            report.format = _describe(opened.format)
            mapping = map_headers(opened.headers, importer.columns)
            report.columns = {opened.headers[i]: c.name for i, c in mapping.items()}
            rejects.start(opened.headers, opened.format)
            with transaction.atomic():
                if not dry_run:
                    take_import_lock()
                _run(importer, opened, mapping, report, rejects, mode, dry_run, batch_size, progress)
                if dry_run or (mode == ALL_OR_NOTHING and report.rejected):
                    transaction.set_rollback(True)
                else:
                    report.committed = True
    except FileRefused as exc:
        report.file_error = str(exc)
        report.committed = False
    except ImportBusy:
        report.file_error = busy_message()
        report.committed = False
    except (IntegrityError, OperationalError) as exc:
        # Mostly at commit, where PostgreSQL checks foreign keys (a village deleted meanwhile);
        # rows the database refuses while writing are reported one by one instead (_write).
        report.file_error = refused_at_commit_message(exc)
        report.committed = False
    finally:
        rejects.close()
    if report.file_error:
        report.created = report.updated = report.unchanged = 0
    return report


def busy_message():
    return _("another import is writing to the database; try again when it has finished")


def refused_at_commit_message(exc):
    return _("%(reason)s (%(error)s); nothing was written") % {"reason": _(Reason.DATABASE), "error": _db_message(exc)}


def _describe(fmt) -> str:
    if fmt.kind != "csv":
        return fmt.kind
    delimiter = {"\t": _("tab")}.get(fmt.delimiter, repr(fmt.delimiter))
    return _("CSV, %(encoding)s%(bom)s, delimiter %(delimiter)s, decimal mark %(mark)r") % {
        "encoding": fmt.encoding, "bom": " (BOM)" if fmt.has_bom else "", "delimiter": delimiter, "mark": fmt.decimal_mark}


class _CellParser:
    """Parses one column's cells into ``(is_error, value or (reason, value, detail))``.

    Outcomes of text cells are remembered: a village slug, a sector or a yes/no repeats on
    most rows of a file, so each distinct spelling is parsed once. A column with more distinct
    values than ``LIMIT`` (codes, names) stops remembering, so memory stays bounded.
    """

    LIMIT = 8192

    def __init__(self, index, column, ctx):
        self.index, self.column, self.name, self.ctx = index, column, column.name, ctx
        self.memo = {}

    def outcome(self, value):
        """The outcome of a cell that the memo does not hold (``_run`` looks there first)."""
        found = self._parse(value)
        memo = self.memo
        # Lists (channels, URLs) are left out: rows must not share a mutable value.
        if memo is not None and value.__class__ is str and found[1].__class__ is not list:
            if len(memo) >= self.LIMIT:
                self.memo = None
            else:
                memo[value] = found
        return found

    def _parse(self, value):
        column = self.column
        if value is None or value == "" or (value.__class__ is str and value.isspace()):
            return (True, (Reason.MISSING, "", "")) if column.required else (False, None)
        try:
            return False, column.parse(value, self.ctx)
        except RangeError as exc:
            return True, (Reason.OUT_OF_RANGE, clean_text(value), str(exc))
        except ValueError as exc:
            reason = getattr(column.parse, "reason", None) or column.reason
            if column.parse in (date, month):
                reason = Reason.BAD_DATE
            return True, (reason, clean_text(value), str(exc))


class _SeenKeys:
    """The keys met so far in a file, as 8-byte hashes: 8 bytes a row, whatever the key.

    Recent hashes sit in a set; every ``MERGE_AT`` they move into one sorted NumPy array, which a
    batch is checked against in one vectorised search. A collision of two keys' hashes (odds
    ~1e-8 at a million rows) would only misreport a duplicate.
    """

    MERGE_AT = 1 << 16

    def __init__(self):
        import numpy as np

        self.np = np
        self.old = np.empty(0, dtype=np.int64)
        self.recent = set()

    def first_seen(self, digests: list[int]) -> list[bool]:
        """For each hash in order, whether it is met here for the first time; remembers them all."""
        np, old = self.np, self.old
        if len(old):
            wanted = np.fromiter(digests, dtype=np.int64, count=len(digests))
            at = np.minimum(np.searchsorted(old, wanted), len(old) - 1)
            in_old = (old[at] == wanted).tolist()
        else:
            in_old = [False] * len(digests)
        recent, first = self.recent, []
        for digest, earlier in zip(digests, in_old, strict=True):
            if earlier or digest in recent:
                first.append(False)
            else:
                recent.add(digest)
                first.append(True)
        if len(recent) >= self.MERGE_AT:
            # Two sorted runs: the stable sort (Timsort) merges them in linear time.
            fresh = np.sort(np.fromiter(recent, dtype=np.int64, count=len(recent)))
            self.old = np.sort(np.concatenate([old, fresh]), kind="stable")
            recent.clear()
        return first


def _no_memo(value):
    return None


def _run(importer, table, mapping, report, rejects, mode, dry_run, batch_size, progress=None):
    seen_keys = _SeenKeys()
    writing = True
    # Each column is read with its own decimal mark (readers.column_decimal_marks).
    parsers = [_CellParser(index, column, ParseContext(decimal_mark=table.decimal_mark_of(index)))
               for index, column in mapping.items()]
    header_of = {column.name: table.headers[index] for index, column in mapping.items()}
    width_needed = max(mapping, default=-1) + 1
    cells_of = operator.itemgetter(*mapping) if len(mapping) > 1 else (lambda raw: (raw[next(iter(mapping))],))
    for chunk in batched(table.rows, batch_size):
        rows = []
        # Per batch, each column's memo lookup as a local (a memo may have been dropped since).
        plan = [(parser, parser.name, parser.memo.get if parser.memo is not None else _no_memo) for parser in parsers]
        for line, raw in chunk:
            report.read += 1
            row = Row(line, {}, raw)
            values = row.values
            if len(raw) < width_needed:  # a short row: the missing cells are blank
                raw = [*raw, *[""] * (width_needed - len(raw))]
            for (parser, name, remembered), value in zip(plan, cells_of(raw), strict=True):
                # Memo keys are text, which no other type equals.
                is_error, payload = remembered(value) or parser.outcome(value)
                if is_error:
                    row.reject(name, *payload)
                else:
                    values[name] = payload
            if not row.errors:
                importer.check_row(row)
            rows.append(row)
        keyed = [(row, key) for row in rows if not row.errors and (key := importer.key(row)) is not None]
        for (row, key), first in zip(keyed, seen_keys.first_seen([hash(key) for _row, key in keyed]), strict=True):
            if not first:
                row.reject(_key_column(importer), Reason.DUPLICATE, _key_text(key), _("the same key appears on an earlier line"))
        good = [r for r in rows if not r.errors]
        if good:
            importer.resolve(good)
        good = [r for r in rows if not r.errors]
        if mode == ALL_OR_NOTHING and any(r.errors for r in rows):
            writing = False
        if good:
            if writing:
                _write(importer, good, report, dry_run, mode)
                if mode == ALL_OR_NOTHING and any(r.errors for r in good):
                    writing = False
            else:
                # Still classify the rows so the report is complete, without writing.
                created, updated, unchanged = importer.write(good, dry_run=True)
                report.created += created
                report.updated += updated
                report.unchanged += unchanged
        for row in rows:
            if row.errors:
                for error in row.errors:
                    error.header = header_of.get(error.column, "")
                report.rejected += 1
                room = MAX_ERRORS_KEPT - len(report.errors)
                if room > 0:
                    report.errors.extend(row.errors[:room])
                rejects.write(row)
        if progress is not None:
            progress(report.read)


def _key_column(importer):
    return getattr(importer, "key_column", "")


def _key_text(key):
    if isinstance(key, tuple):
        return " + ".join(str(k) for k in key)
    return str(key)


def _write(importer, rows, report, dry_run, mode):
    """Write a batch in a savepoint; if the database refuses it, retry row by row to name the rows."""
    try:
        with transaction.atomic():
            created, updated, unchanged = importer.write(rows, dry_run=dry_run)
    except (IntegrityError, DatabaseError) as exc:
        if len(rows) == 1:
            rows[0].reject("", Reason.DATABASE, "", _db_message(exc))
            return
        created = updated = unchanged = 0
        for row in rows:
            try:
                with transaction.atomic():
                    c, u, n = importer.write([row], dry_run=dry_run)
            except (IntegrityError, DatabaseError) as row_exc:
                row.reject("", Reason.DATABASE, "", _db_message(row_exc))
                continue
            created, updated, unchanged = created + c, updated + u, unchanged + n
    report.created += created
    report.updated += updated
    report.unchanged += unchanged
    if not dry_run:
        count_places(rows, report)


def _db_message(exc):
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else exc.__class__.__name__
