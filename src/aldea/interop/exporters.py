"""Exports of the registries to CSV, XLSX and Parquet that import back unchanged.

The columns are the importers' canonical names, so an untouched export (or one a spreadsheet
re-saved with another encoding, delimiter or decimal mark) imports with nothing rejected and
nothing changed. Text that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) is prefixed with an apostrophe in CSV and XLSX; the importer strips exactly that
apostrophe. Numbers, dates and booleans are never prefixed: they are not text, so not formulas.
Rows are streamed from the database in chunks, so memory stays flat.

People's email and phone follow the one rule of ``aldea.people.queries.disclosure``: they are
exported only for people who consented to be contacted (and for the viewer themselves). A people
import leaves a stored email or phone alone when its cell is empty on a row without consent, so
an export still imports back unchanged.
"""

import csv
from pathlib import Path

from aldea.accounts.models import Person
from aldea.enterprises.models import Enterprise, Product
from aldea.interop import trail
from aldea.interop.readers import neutralise
from aldea.outcomes.models import OutcomeRecord
from aldea.people.queries import CONTACT_FIELDS, hidden_person_fields
from aldea.territories.models import Locality

FORMATS = ("csv", "xlsx", "parquet")
CHUNK = 2000

# (column, database lookup, kind); kinds: text, int, decimal, float, date, bool, list
SPECS = {
    "enterprises": (Enterprise, "code", [
        ("code", "code", "text"), ("name", "name", "text"), ("programme", "programme__slug", "text"),
        ("village", "village__slug", "text"), ("group", "group", "text"),
        ("municipality", "municipality__code", "text"), ("locality", "locality__code", "text"),
        ("sector", "sector", "text"), ("speciality", "speciality", "text"), ("formal_status", "formal_status", "text"),
        ("employees", "employees", "int"), ("founded_year", "founded_year", "int"),
        ("is_women_led", "is_women_led", "bool"), ("baseline_channels", "baseline_channels", "list"),
        ("has_showcase_consent", "has_showcase_consent", "bool"), ("owner_id", "owner_id", "int"),
    ]),
    "people": (Person, "id", [
        ("id", "id", "int"), ("external_id", "external_reference__external_id", "text"),
        ("given_name", "given_name", "text"), ("family_name", "family_name", "text"), ("sex", "sex", "text"),
        ("birth_year", "birth_year", "int"), ("speaks_indigenous_language", "speaks_indigenous_language", "bool"),
        ("indigenous_language", "indigenous_language", "text"), ("email", "email", "text"), ("phone", "phone", "text"),
        ("has_contact_consent", "has_contact_consent", "bool"), ("contact_consent_on", "contact_consent_on", "date"),
        ("locality", "locality__code", "text"),
    ]),
    "products": (Product, "id", [
        ("enterprise", "enterprise__code", "text"), ("sku", "sku", "text"), ("title", "title", "text"),
        ("description", "description", "text"), ("category", "category", "text"), ("price", "price", "decimal"),
        ("currency", "currency", "text"), ("stock", "stock", "int"), ("brand", "brand", "text"),
        ("gtin", "gtin", "text"), ("mpn", "mpn", "text"), ("is_handmade", "is_handmade", "bool"),
        ("image_urls", "image_urls", "list"),
    ]),
    "outcomes": (OutcomeRecord, "id", [
        ("enterprise", "enterprise__code", "text"), ("month", "month", "date"), ("currency", "currency", "text"),
        ("total_sales", "total_sales", "decimal"), ("online_sales", "online_sales", "decimal"),
        ("orders", "orders", "int"), ("units", "units", "int"), ("employees", "employees", "int"),
        ("export_markets", "export_markets", "int"), ("source", "source", "text"),
    ]),
    "localities": (Locality, "code", [
        ("code", "code", "text"), ("name", "name", "text"), ("municipality", "municipality__code", "text"),
        ("country", "municipality__country__code", "text"), ("population", "population", "int"),
        ("households", "households", "int"), ("is_rural", "is_rural", "bool"),
        ("marginalisation_index", "marginalisation_index", "float"),
        ("marginalisation_degree", "marginalisation_degree", "text"),
        ("latitude", "latitude", "decimal"), ("longitude", "longitude", "decimal"),
    ]),
}
REGISTRIES = tuple(SPECS)


def export_rows(kind: str, queryset=None, *, viewer=None):
    """(headers, iterator of typed rows) for a registry; ``queryset`` narrows it (e.g. visible_to).

    ``viewer``: the user the export is for (a command's operator is None, and sees what staff
    see); people's contact details are withheld as ``hidden_person_fields`` says."""
    model, order, columns = SPECS[kind]
    queryset = model.objects.all() if queryset is None else queryset
    lookups = [lookup for _, lookup, _ in columns]
    rows = queryset.order_by(order).values_list(*lookups).iterator(chunk_size=CHUNK)
    headers = [name for name, _, _ in columns]
    if kind == "people":
        rows = _withhold_contact(rows, headers, viewer)
    return headers, [kind for _, _, kind in columns], rows


class _PersonRow:
    """What ``hidden_person_fields`` reads of a person, from an export row."""

    def __init__(self, pk, has_contact_consent):
        self.pk, self.has_contact_consent = pk, has_contact_consent


class _Operator:
    """Whoever runs ``aldea export`` on the server: they see what staff see."""

    is_authenticated = is_superuser = is_staff = True


def _withhold_contact(rows, headers, viewer):
    viewer = viewer or _Operator()
    at = {name: headers.index(name) for name in ("id", "has_contact_consent", *CONTACT_FIELDS)}
    for row in rows:
        hidden = hidden_person_fields(viewer, _PersonRow(row[at["id"]], row[at["has_contact_consent"]]))
        if hidden:
            row = list(row)
            for name in hidden:
                row[at[name]] = ""
            row = tuple(row)
        yield row


def export_registry(kind: str, path, *, format: str | None = None, queryset=None, viewer=None) -> int:
    """Write a registry to ``path`` as csv, xlsx or parquet (from the suffix if not given); returns rows.

    An export of personal data is recorded in the audit trail (``trail.record_export``)."""
    if kind not in SPECS:
        raise ValueError(f"unknown registry {kind!r}; choose one of {', '.join(REGISTRIES)}")
    path = Path(path)
    format = format or path.suffix.lstrip(".").lower()
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    headers, kinds, rows = export_rows(kind, queryset, viewer=viewer)
    count = {"csv": _write_csv, "xlsx": _write_xlsx, "parquet": _write_parquet}[format](path, headers, kinds, rows)
    # Who took personal data away, and how much (the audit trail; None is a command's operator).
    trail.record_export(kind, model=SPECS[kind][0], queryset=SPECS[kind][0].objects.all() if queryset is None else queryset,
                        rows=count, format=format, viewer=viewer)
    return count


def csv_cell(value, kind):
    if value is None:
        return ""
    if kind == "text":
        return neutralise(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "list":
        return neutralise("|".join(str(v) for v in value))
    if kind == "date":
        return value.isoformat()
    if kind == "float":
        return repr(value)
    return str(value)


def _write_csv(path, headers, kinds, rows):
    count = 0
    # UTF-8 with BOM: Excel on Windows then opens accents correctly.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_cell(v, k) for v, k in zip(row, kinds, strict=True)])
            count += 1
    return count


def xlsx_cell(value, kind):
    if value is None:
        return None
    if kind in ("text", "list"):
        return csv_cell(value, kind)
    return value


def _write_xlsx(path, headers, kinds, rows):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(v, k) for v, k in zip(row, kinds, strict=True)])
        count += 1
    workbook.save(path)
    return count


def _arrow_type(kind):
    import pyarrow as pa

    return {
        "text": pa.string(), "int": pa.int64(), "decimal": pa.string(), "float": pa.float64(),
        "date": pa.date32(), "bool": pa.bool_(), "list": pa.string(),
    }[kind]


def _parquet_value(value, kind):
    if value is None:
        return None
    if kind == "list":
        return "|".join(str(v) for v in value)
    if kind == "decimal":
        # Exact text: Parquet decimals need one fixed scale per column, which lat/long and money differ in.
        return str(value)
    return value


def _write_parquet(path, headers, kinds, rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(h, _arrow_type(k)) for h, k in zip(headers, kinds, strict=True)])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                writer.write_table(_arrow_table(chunk, schema, kinds))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(_arrow_table(chunk, schema, kinds))
            count += len(chunk)
    return count


def _arrow_table(chunk, schema, kinds):
    import pyarrow as pa

    columns = list(zip(*chunk, strict=True)) if chunk else [[] for _ in kinds]
    return pa.table(
        [pa.array([_parquet_value(v, k) for v in col], type=schema.field(i).type) for i, (col, k) in enumerate(zip(columns, kinds, strict=True))],
        schema=schema,
    )

