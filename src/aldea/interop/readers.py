"""Read tabular files the way the region writes them, one row at a time.

CSV (UTF-8 with or without BOM, Windows-1252/Latin-1; comma, semicolon or tab), XLSX (first
sheet, or a named one) and Parquet, all streamed: memory does not grow with the file. Values come
out as strings (or native numbers and dates from XLSX and Parquet); the typed parsers below turn
them into Python values and raise ``ValueError`` with a reason a person can act on.
"""

import csv
import datetime
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Characters a spreadsheet may read as the start of a formula (OWASP "CSV injection"); exports
# prefix such text with FORMULA_GUARD and the readers strip exactly that one character again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"

SNIFF_BYTES = 64 * 1024
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


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_table(path, sheet: str | None = None) -> Table:
    """Open ``path`` for streaming; raise FileRefused when it cannot be read at all."""
    path = Path(path)
    if not path.exists():
        raise FileRefused(f"{path}: no such file")
    kind = detect_kind(path)
    try:
        if kind == "xlsx":
            return _open_xlsx(path, sheet)
        if kind == "parquet":
            return _open_parquet(path)
        return _open_csv(path)
    except FileRefused:
        raise
    except Exception as exc:  # a corrupt zip, a truncated Parquet footer, ...
        raise FileRefused(f"{path.name}: cannot be read as {kind.upper()} ({exc.__class__.__name__}: {exc})") from exc


def _open_csv(path: Path) -> Table:
    return csv_table(path.name, lambda: open(path, "rb"), path)


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
        raise FileRefused(f"{label}: cannot be read ({exc.__class__.__name__}: {exc})") from exc
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(f"{label}: looks like a binary file, not CSV")
    encoding, has_bom = sniff_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = sniff_delimiter(first_line)
    decimal_mark = "," if delimiter == ";" else "."
    # newline="" lets csv handle quoted line breaks; cp1252 has 5 undefined bytes, read as Latin-1.
    fh = io.TextIOWrapper(open_binary(), encoding=encoding, errors="strict" if encoding != "cp1252" else "replace", newline="")
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        fh.close()
        raise FileRefused(f"{label}: the file is empty") from None
    except (UnicodeDecodeError, csv.Error, *read_errors) as exc:
        fh.close()
        raise FileRefused(f"{label}: cannot read the header row ({exc})") from exc

    def rows():
        try:
            for values in reader:
                # Blank lines are skipped; the first cell settles it for almost every row.
                first = values[0] if values else ""
                if (not first or first.isspace()) and not any(v.strip() for v in values):
                    continue
                yield reader.line_num, values
        except UnicodeDecodeError as exc:
            raise FileRefused(f"{label}: line {reader.line_num + 1} is not valid {encoding} ({exc.reason})") from exc
        except csv.Error as exc:
            raise FileRefused(f"{label}: line {reader.line_num}: {exc}") from exc
        except read_errors as exc:
            raise FileRefused(f"{label}: cannot be read after line {reader.line_num} ({exc.__class__.__name__}: {exc})") from exc

    fmt = TableFormat("csv", encoding=encoding, delimiter=delimiter, decimal_mark=decimal_mark, has_bom=has_bom)
    row_iterator = within_expansion_limits(label, rows()) if expands else rows()
    return Table(path or Path(label), fmt, [h.strip() for h in headers], row_iterator, [fh.close])


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


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    import openpyxl

    _check_xlsx_directory(path)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if sheet is not None and sheet not in workbook.sheetnames:
        workbook.close()
        raise FileRefused(f"{path.name}: no sheet named {sheet!r} (sheets: {', '.join(workbook.sheetnames)})")
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
        raise FileRefused(f"{path.name}: the sheet {worksheet.title!r} is empty") from None
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


def _open_parquet(path: Path) -> Table:
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
                raise FileRefused(f"{path.name}: cannot read the rows after row {number - 1} ({exc})") from exc
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
    """'1.234,56', '1,234.56', '1234,5', '$ 1 234.50' → Decimal. A value with one kind of mark uses
    the file's decimal mark unless it can only be a thousands separator."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")  # noqa: TRY004 (a cell's content, reported as a bad value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("not a finite number")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not a finite number")
        return value
    text = clean_text(value).replace("$", "").replace("\u00a0", "").replace(" ", "")
    for code in ("MXN", "BRL", "USD", "COP", "R"):
        if text.upper().startswith(code) and len(text) > len(code):
            text = text[len(code):]
    if not text:
        raise ValueError("empty")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if decimal_mark == "." and _THOUSANDS_COMMA.match(text) and text.count(",") > 1 or decimal_mark == "." and _THOUSANDS_COMMA.match(text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text and decimal_mark == "," and _THOUSANDS_DOT.match(text) and text.count(".") > 1:
        text = text.replace(".", "")
    if not _NUMBER.match(text):
        raise ValueError(f"{value!r} is not a number")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def parse_int(value, decimal_mark: str = ".") -> int:
    if value.__class__ is str and value.isascii() and value.isdigit() and len(value) < 16:
        return int(value)  # the common case, without the Decimal round trip
    number = parse_decimal(value, decimal_mark)
    if number != number.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number")
    if abs(number) > 10**15:
        raise ValueError(f"{value!r} is too large")
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
    raise ValueError(f"{text!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


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
                raise ValueError(f"{text!r} is not a month")
            return datetime.date(year, month, 1)
    try:
        return parse_date(text).replace(day=1)
    except ValueError:
        raise ValueError(f"{text!r} is not a month (use yyyy-mm or mm/yyyy)") from None


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
    raise ValueError(f"{value!r} is not yes/no (use sí/no, sim/não, yes/no, 1/0)")


def sniff_text(data: bytes) -> str:
    """Decode a small uploaded text with the same rules as files (for previews)."""
    encoding, _ = sniff_encoding(data[:SNIFF_BYTES])
    return data.decode(encoding, errors="replace")


def read_text_rows(text: str):
    """Rows of a small CSV text (tests and previews)."""
    return list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text.splitlines()[0] if text else "")))
