"""Read tabular files the way the region writes them, one row at a time.

CSV (UTF-8 with or without BOM, Windows-1252/Latin-1; comma, semicolon or tab), XLSX (first
sheet, or a named one) and Parquet, all streamed: memory does not grow with the file. Values come
out as strings (or native numbers and dates from XLSX and Parquet); the typed parsers below turn
them into Python values and raise ``ValueError`` with a reason a person can act on.
"""

import csv
import datetime
import io
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

# Characters a spreadsheet may read as the start of a formula (OWASP "CSV injection"); exports
# prefix such text with FORMULA_GUARD and the readers strip exactly that one character again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"

SNIFF_BYTES = 64 * 1024
# Lines read to choose the delimiter (a report may open with title lines) and rows read ahead to
# learn each column's decimal mark.
SNIFF_LINES = 20
SNIFF_ROWS = 1000
csv.field_size_limit(10 * 1024 * 1024)

# Files that expand when read (an XLSX workbook, the CSVs of a zip) are bounded by what they
# expand to, not by their upload size: 1 MB of XLSX can hold a million rows. A larger table
# belongs in a CSV or Parquet file (or several workbooks).
MAX_EXPANDED_ROWS = 500_000
MAX_EXPANDED_CELLS = 10_000_000
# Declared in the zip's directory before anything is inflated: the sheets' and shared strings'
# XML together, and how much smaller than that a sizeable part may be packed.
MAX_XLSX_XML_BYTES = 500 * 1024 * 1024
MAX_XLSX_COMPRESSION_RATIO = 200
XLSX_RATIO_CHECKED_FROM_BYTES = 10 * 1024 * 1024


class FileRefused(ValueError):
    """The whole file cannot be read (format, encoding, headers): nothing is imported."""


@dataclass
class TableFormat:
    kind: str  # "csv", "xlsx" or "parquet"
    encoding: str = ""
    delimiter: str = ""
    # The decimal mark the file most likely uses; a value with both marks decides for itself.
    decimal_mark: str = "."
    has_bom: bool = False


@dataclass
class Table:
    """A file opened for reading: its format, its header row and a row iterator."""

    path: Path
    format: TableFormat
    headers: list[str]
    rows: object  # iterator of (line_number, list of cell values)
    _closers: list = field(default_factory=list)
    # Each column's decimal mark, learnt from the first rows of a CSV (see column_decimal_marks);
    # empty for XLSX and Parquet, whose numbers are numbers.
    decimal_marks: list = field(default_factory=list)

    def decimal_mark_of(self, index: int) -> str:
        return self.decimal_marks[index] if index < len(self.decimal_marks) else self.format.decimal_mark

    def close(self):
        for close in self._closers:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def detect_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    if suffix in {".csv", ".txt", ".tsv"}:
        return "csv"
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    return "csv"


def sniff_encoding(sample: bytes) -> tuple[str, bool]:
    """UTF-8 (BOM noted) when the bytes decode as UTF-8, else Windows-1252 (a superset of Latin-1 in
    the printable range, and what Excel writes on Spanish and Portuguese Windows)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", True
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", True
    try:
        sample.decode("utf-8")
        return "utf-8", False
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8", False
        return "cp1252", False


DELIMITERS = (";", ",", "\t", "|")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same number of cells.

    Lines are split as CSV (quotes respected), so a comma inside a quoted name or a decimal comma
    in a few cells does not outvote the real delimiter; a report's title lines, which have one
    cell, do not count against it. Ties go to the delimiter that gives more cells.
    """
    lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(cells) for cells in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (widths.count(common), common) if common > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def open_table(path, sheet: str | None = None, *, name: str | None = None) -> Table:
    """Open ``path`` for streaming; raise FileRefused when it cannot be read at all.

    Messages name the file by ``name`` (what the user called it; by default the file's own name),
    never by its path on the server.
    """
    path = Path(path)
    label = name or path.name
    if not path.exists():
        raise FileRefused(_("%(file)s: no such file") % {"file": label})
    kind = detect_kind(path)
    try:
        if kind == "xlsx":
            return _open_xlsx(path, sheet, label)
        if kind == "parquet":
            return _open_parquet(path, label)
        return csv_table(label, lambda: open(path, "rb"), path)
    except FileRefused:
        raise
    except Exception as exc:  # a corrupt zip, a truncated Parquet footer, ...
        raise FileRefused(_("%(file)s: cannot be read as %(kind)s (%(error)s)") % {
            "file": label, "kind": kind.upper(), "error": without_paths(f"{exc.__class__.__name__}: {exc}", path, label)}) from exc


def without_paths(text: str, path: Path, label: str) -> str:
    """An error text with the file's server path (and its folder) replaced by the user's name for it.

    Libraries put the path they were given into their messages (pyarrow, openpyxl, the OS).
    """
    for variant in sorted({str(path), str(path.resolve()), str(path.absolute())}, key=len, reverse=True):
        text = text.replace(variant, label)
    for folder in sorted({str(path.parent), str(path.resolve().parent), str(path.absolute().parent)}, key=len, reverse=True):
        if folder not in ("", "."):
            text = text.replace(folder + "/", "").replace(folder, "")
    return text


def csv_table(label: str, open_binary, path: Path | None = None, read_errors: tuple = (),
              expands: bool = False) -> Table:
    """A CSV streamed as a Table, its encoding, BOM and delimiter sniffed from the first bytes.

    ``open_binary()`` opens the bytes afresh (once for the sample, once to read): a file, or a
    member of a zip. ``read_errors`` are what that source raises on damaged data (a zip's CRC
    and inflate errors); they are refused like a bad encoding. Messages start with ``label``.
    ``expands``: the bytes come out of an archive, so the expansion limits apply.
    """
    try:
        with open_binary() as fh:
            sample = fh.read(SNIFF_BYTES)
    except read_errors as exc:
        raise FileRefused(_("%(file)s: cannot be read (%(error)s)") % {"file": label, "error": f"{exc.__class__.__name__}: {exc}"}) from exc
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_("%(file)s: looks like a binary file, not CSV") % {"file": label})
    encoding, has_bom = sniff_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    delimiter = sniff_delimiter(text)
    decimal_mark = "," if delimiter == ";" else "."
    # newline="" lets csv handle quoted line breaks; cp1252 has 5 undefined bytes, read as Latin-1.
    fh = io.TextIOWrapper(open_binary(), encoding=encoding, errors="strict" if encoding != "cp1252" else "replace", newline="")
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        fh.close()
        raise FileRefused(_("%(file)s: the file is empty") % {"file": label}) from None
    except (UnicodeDecodeError, csv.Error, *read_errors) as exc:
        fh.close()
        raise FileRefused(_("%(file)s: cannot read the header row (%(error)s)") % {"file": label, "error": exc}) from exc

    def rows():
        try:
            for values in reader:
                # Blank lines are skipped; the first cell settles it for almost every row.
                first = values[0] if values else ""
                if (not first or first.isspace()) and not any(v.strip() for v in values):
                    continue
                yield reader.line_num, values
        except UnicodeDecodeError as exc:
            raise FileRefused(_("%(file)s: line %(line)s is not valid %(encoding)s (%(error)s)") % {
                "file": label, "line": reader.line_num + 1, "encoding": encoding, "error": exc.reason}) from exc
        except csv.Error as exc:
            raise FileRefused(_("%(file)s: line %(line)s: %(error)s") % {"file": label, "line": reader.line_num, "error": exc}) from exc
        except read_errors as exc:
            raise FileRefused(_("%(file)s: cannot be read after line %(line)s (%(error)s)") % {
                "file": label, "line": reader.line_num, "error": f"{exc.__class__.__name__}: {exc}"}) from exc

    fmt = TableFormat("csv", encoding=encoding, delimiter=delimiter, decimal_mark=decimal_mark, has_bom=has_bom)
    stream = within_expansion_limits(label, rows()) if expands else rows()
    try:
        ahead = list(itertools.islice(stream, SNIFF_ROWS))
    except FileRefused:
        fh.close()
        raise
    marks = column_decimal_marks((values for _line, values in ahead), decimal_mark)
    return Table(path or Path(label), fmt, [h.strip() for h in headers], itertools.chain(ahead, stream), [fh.close],
                 decimal_marks=marks)


def expansion_refusal(label: str, rows: int, cells: int) -> str | None:
    """The reason a table that expanded to ``rows`` rows and ``cells`` cells is refused, if it is."""
    if rows > MAX_EXPANDED_ROWS:
        return (f"{label}: more than {MAX_EXPANDED_ROWS:,} rows; an XLSX workbook or a zipped CSV may hold "
                f"at most {MAX_EXPANDED_ROWS:,} rows and {MAX_EXPANDED_CELLS:,} cells: split it, or send CSV or Parquet")
    if cells > MAX_EXPANDED_CELLS:
        return (f"{label}: more than {MAX_EXPANDED_CELLS:,} cells; an XLSX workbook or a zipped CSV may hold "
                f"at most {MAX_EXPANDED_ROWS:,} rows and {MAX_EXPANDED_CELLS:,} cells: split it, or send CSV or Parquet")
    return None


def within_expansion_limits(label: str, rows):
    """Pass (line, values) rows through, refusing the file once it passes the expansion limits."""
    cells = 0
    for count, (number, values) in enumerate(rows, start=1):
        cells += len(values)
        if (refusal := expansion_refusal(label, count, cells)) is not None:
            raise FileRefused(refusal)
        yield number, values


def _check_xlsx_directory(path: Path) -> None:
    """Refuse a workbook whose XML parts are declared too large or packed too tightly."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [info for info in archive.infolist()
                 if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"]
    declared = sum(info.file_size for info in parts)
    if declared > MAX_XLSX_XML_BYTES:
        raise FileRefused(f"{path.name}: its sheets expand to {declared // 2**20:,} MB when unpacked; "
                          f"the limit is {MAX_XLSX_XML_BYTES // 2**20} MB: split it, or send CSV or Parquet")
    for info in parts:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > XLSX_RATIO_CHECKED_FROM_BYTES and ratio > MAX_XLSX_COMPRESSION_RATIO:
            raise FileRefused(f"{path.name}: {info.filename} expands {ratio:,} times when unpacked; "
                              f"the limit is {MAX_XLSX_COMPRESSION_RATIO} times")


_COMMA_DECIMAL = re.compile(r"^[+-]?\d*,(\d{1,2}|\d{4,})$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.(\d{1,2}|\d{4,})$")
_BOTH_MARKS = re.compile(r"^[+-]?\d[\d.,]*$")


def column_decimal_marks(rows, default: str) -> list[str]:
    """Each column's decimal mark, from the values of the first rows.

    A value says which mark it uses when it cannot be a thousands separator: '12,5' or '0,25'
    (comma), '150.00' or '-96.519722' (point), or both marks, the last one being the decimal.
    '1.000' says nothing. A column whose values say only one thing uses that mark; the others
    (whole numbers, text, or evidence both ways) use the file's (``default``).
    """
    evidence = []  # per column: [comma votes, point votes]
    for values in rows:
        while len(evidence) < len(values):
            evidence.append([0, 0])
        for index, value in enumerate(values):
            if value.__class__ is not str or not value or value.isalpha():
                continue
            text = value.strip().replace(" ", "").replace("$", "").replace("\u00a0", "")
            if "," in text and "." in text:
                if _BOTH_MARKS.match(text):
                    evidence[index][text.rfind(",") < text.rfind(".")] += 1
            elif _COMMA_DECIMAL.match(text):
                evidence[index][0] += 1
            elif _DOT_DECIMAL.match(text):
                evidence[index][1] += 1
    marks = []
    for comma, point in evidence:
        marks.append("," if comma and not point else "." if point and not comma else default)
    return marks


def _open_xlsx(path: Path, sheet: str | None, label: str) -> Table:
    import openpyxl

    _check_xlsx_directory(path)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if sheet is not None and sheet not in workbook.sheetnames:
        workbook.close()
        raise FileRefused(_("%(file)s: no sheet named %(sheet)r (sheets: %(sheets)s)") % {
            "file": label, "sheet": sheet, "sheets": ", ".join(workbook.sheetnames)})
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    # The sheet's own <dimension> (when it has one) refuses a huge sheet before a row is read.
    declared_rows, declared_columns = worksheet.max_row or 0, worksheet.max_column or 0
    if (refusal := expansion_refusal(path.name, declared_rows - 1, (declared_rows - 1) * declared_columns)) is not None:
        workbook.close()
        raise FileRefused(refusal)
    iterator = worksheet.iter_rows(values_only=True)
    try:
        header_values = next(iterator)
    except StopIteration:
        workbook.close()
        raise FileRefused(_("%(file)s: the sheet %(sheet)r is empty") % {"file": label, "sheet": worksheet.title}) from None
    headers = ["" if h is None else str(h).strip() for h in header_values]
    while headers and not headers[-1]:
        headers.pop()

    def rows():
        cells = 0
        for number, values in enumerate(iterator, start=2):
            values = list(values)
            # Every row read counts, blank or not: reading it is the work a bomb asks for.
            cells += len(values)
            if (refusal := expansion_refusal(path.name, number - 1, cells)) is not None:
                raise FileRefused(refusal)
            # Drop empty trailing cells, but keep cells beyond the header: a report's real header
            # row may lie below a short title row (Mercado Libre), and the caller finds it.
            while len(values) > len(headers) and (values[-1] is None or values[-1] == ""):
                values.pop()
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield number, ["" if v is None else v for v in values]

    return Table(path, TableFormat("xlsx"), headers, rows(), [workbook.close])


def _open_parquet(path: Path, label: str) -> Table:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    headers = list(parquet.schema_arrow.names)

    def rows():
        number = 1
        batches = parquet.iter_batches(batch_size=10_000)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except (OSError, ValueError) as exc:  # pyarrow's errors on a damaged page derive from these
                raise FileRefused(_("%(file)s: cannot read the rows after row %(row)s (%(error)s)") % {
                    "file": label, "row": number - 1, "error": without_paths(str(exc), path, label)}) from exc
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for values in zip(*columns, strict=True):
                number += 1
                yield number, ["" if v is None else v for v in values]

    return Table(path, TableFormat("parquet"), headers, rows(), [parquet.close])


# --- headers ---------------------------------------------------------------------------------

def normalise_header(text: str) -> str:
    """Lower case, no accents, words joined by underscores: 'Código Município' → 'codigo_municipio'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# --- values ----------------------------------------------------------------------------------

def clean_text(value) -> str:
    """A cell as text, stripped, with the export's formula guard removed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    value = value.strip()
    if value.startswith(FORMULA_GUARD) and value[1:2] in FORMULA_STARTS and value[1:2]:
        return value[1:]
    return value


def neutralise(text: str) -> str:
    """Prefix text that a spreadsheet would read as a formula (the reader strips it again)."""
    if text and text.startswith(FORMULA_STARTS):
        return FORMULA_GUARD + text
    return text


_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_decimal(value, decimal_mark: str = ".") -> Decimal:
    """'1.234,56', '1,234.56', '1234,5', '$ 1 234.50' → Decimal, read with the column's decimal mark.

    With a decimal comma, a point only ever separates thousands: '1.000' is 1000 and '7.500' is
    7500, and a value whose points are not thousands groups ('7.5', '1,234.56') is refused rather
    than guessed. With a decimal point, a comma in thousands groups ('1,234') separates thousands
    and any other comma ('1234,5') is read as the decimal mark, as before.
    """
    if isinstance(value, bool):
        raise ValueError(_("%(value)r is not a number") % {"value": value})  # noqa: TRY004 (a cell's content, reported as a bad value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(_("not a finite number"))
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(_("not a finite number"))
        return value
    text = clean_text(value).replace("$", "").replace("\u00a0", "").replace(" ", "")
    for code in ("MXN", "BRL", "USD", "COP", "R"):
        if text.upper().startswith(code) and len(text) > len(code):
            text = text[len(code):]
    if not text:
        raise ValueError(_("empty"))
    if decimal_mark == ",":
        if "." in text:
            whole = text.split(",", 1)[0]
            if not _THOUSANDS_DOT.match(whole) or text.count(",") > 1:
                raise ValueError(_("%(value)r: in this column the decimal mark is ',' and '.' separates thousands (1.234,56)")
                                 % {"value": clean_text(value)})
            text = text.replace(".", "")
        text = text.replace(",", ".")
    elif "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if _THOUSANDS_COMMA.match(text) else text.replace(",", ".")
    if not _NUMBER.match(text):
        raise ValueError(_("%(value)r is not a number") % {"value": value})
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(value)r is not a number") % {"value": value}) from None
    if not number.is_finite():
        raise ValueError(_("not a finite number"))
    return number


def parse_int(value, decimal_mark: str = ".") -> int:
    if value.__class__ is str and value.isascii() and value.isdigit() and len(value) < 16:
        return int(value)  # the common case, without the Decimal round trip
    number = parse_decimal(value, decimal_mark)
    if number != number.to_integral_value():
        raise ValueError(_("%(value)r is not a whole number") % {"value": value})
    if abs(number) > 10**15:
        raise ValueError(_("%(value)r is too large") % {"value": value})
    return int(number)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")


def parse_date(value) -> datetime.date:
    """ISO dates and the region's day-first dates (dd/mm/yyyy); never month-first."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    if "T" in text:
        text = text.split("T", 1)[0]
    elif " " in text:
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("%(value)r is not a date (use dd/mm/yyyy or yyyy-mm-dd)") % {"value": text})


def parse_month(value) -> datetime.date:
    """A calendar month as its first day: '2025-03', '03/2025', '2025-03-01', '15/03/2025'."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return parse_date(value).replace(day=1)
    text = clean_text(value)
    for pattern, order in ((r"^(\d{4})[-/](\d{1,2})$", "ym"), (r"^(\d{1,2})[-/](\d{4})$", "my")):
        match = re.match(pattern, text)
        if match:
            a, b = int(match.group(1)), int(match.group(2))
            year, month = (a, b) if order == "ym" else (b, a)
            if not 1 <= month <= 12 or not 1900 <= year <= 2100:
                raise ValueError(_("%(value)r is not a month") % {"value": text})
            return datetime.date(year, month, 1)
    try:
        return parse_date(text).replace(day=1)
    except ValueError:
        raise ValueError(_("%(value)r is not a month (use yyyy-mm or mm/yyyy)") % {"value": text}) from None


_TRUE = {"1", "true", "verdadero", "verdadeiro", "yes", "y", "si", "sí", "s", "sim", "x", "t"}
_FALSE = {"0", "false", "falso", "no", "n", "nao", "não", "f", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = clean_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("%(value)r is not yes/no (use sí/no, sim/não, yes/no, 1/0)") % {"value": value})


def sniff_text(data: bytes) -> str:
    """Decode a small uploaded text with the same rules as files (for previews)."""
    encoding, _has_bom = sniff_encoding(data[:SNIFF_BYTES])
    return data.decode(encoding, errors="replace")


def read_text_rows(text: str):
    """Rows of a small CSV text (tests and previews)."""
    return list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))


def estimate_rows(path) -> int | None:
    """About how many data rows a file holds, without parsing it (for a progress bar); None if unknown.

    CSV: its line breaks (a quoted cell with a line break counts twice); XLSX: the sheet's declared
    dimension; Parquet: its metadata.
    """
    path = Path(path)
    try:
        kind = detect_kind(path)
        if kind == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if kind == "xlsx":
            import openpyxl

            workbook = openpyxl.load_workbook(path, read_only=True)
            try:
                rows = workbook.worksheets[0].max_row
            finally:
                workbook.close()
            return max(rows - 1, 0) if rows else None
        breaks, last = 0, b"\n"
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                breaks += chunk.count(b"\n")
                last = chunk[-1:]
        return max(breaks - (last == b"\n"), 0)
    except Exception:  # noqa: BLE001 (an estimate: the import itself reports what is wrong)
        return None
