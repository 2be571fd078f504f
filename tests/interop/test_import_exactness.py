"""What is stored is what the file said, and what the user reads is in their words (issue 9, §4)."""

import csv
import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from interop_files import write_csv, write_xlsx

from aldea.accounts.models import Membership, Person, User
from aldea.enterprises.models import Enterprise, Product
from aldea.interop import readers
from aldea.interop.feeds import write_feed
from aldea.interop.importers.base import Reason
from aldea.interop.models import ChannelSales
from aldea.interop.sales import import_sales
from aldea.interop.services import import_registry
from aldea.interop.xlsform import write_xlsform
from aldea.outcomes.models import OutcomeRecord


@pytest.fixture
def ruiz(programme):
    village = programme.villages.get(slug="teotitlan")
    return Enterprise.objects.create(programme=programme, village=village, code="tapetes-ruiz", name="Tapetes Ruiz",
                                     municipality=village.municipality, sector="textiles")


# --- decimal commas and thousands ------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("1.000", "1000"), ("7.500", "7500"), ("1.234.567", "1234567"), ("1.234,56", "1234.56"), ("7,5", "7.5"),
    ("-96,519722", "-96.519722"), ("12", "12"),
])
def test_in_a_decimal_comma_column_a_point_separates_thousands(text, expected):
    assert readers.parse_decimal(text, ",") == Decimal(expected)


@pytest.mark.parametrize("text", ["7.5", "1.23", "1,234.56", "1.2345"])
def test_in_a_decimal_comma_column_a_point_that_is_not_a_thousands_separator_is_refused(text):
    with pytest.raises(ValueError, match="decimal mark"):
        readers.parse_decimal(text, ",")


def test_a_decimal_comma_file_stores_thousands_as_thousands(tmp_path, ruiz):
    path = write_csv(tmp_path / "ventas.csv", [
        ["Empresa", "Mes", "Ventas totales", "Ventas en línea", "Pedidos"],
        ["tapetes-ruiz", "2025-01", "1.000", "7,50", "1.200"],
        ["tapetes-ruiz", "2025-02", "7.500", "1.234,56", "3"],
    ], delimiter=";", encoding="cp1252")
    report = import_registry("outcomes", path)
    assert report.ok, report.errors
    stored = {o.month.month: (o.total_sales, o.online_sales, o.orders) for o in OutcomeRecord.objects.all()}
    assert stored == {1: (Decimal(1000), Decimal("7.50"), 1200), 2: (Decimal(7500), Decimal("1234.56"), 3)}


def test_each_column_keeps_the_decimal_mark_its_values_show(tmp_path, ruiz):
    """A semicolon file from Mexico may write its prices with a decimal point: that column reads so."""
    path = write_csv(tmp_path / "productos.csv", [
        ["Empresa", "SKU", "Título", "Precio", "Existencias"],
        ["tapetes-ruiz", "TAP-001", "Tapete", "2450.50", "1.000"],
        ["tapetes-ruiz", "TAP-002", "Tapete chico", "380.00", "12"],
    ], delimiter=";", encoding="cp1252")
    report = import_registry("products", path)
    assert report.ok, report.errors
    assert dict(Product.objects.values_list("sku", "price")) == {"TAP-001": Decimal("2450.50"), "TAP-002": Decimal("380.00")}
    assert Product.objects.get(sku="TAP-001").stock == 1000


# --- Mercado Libre CSV with title rows -------------------------------------------------------

MELI_HEADERS = ["# de venta", "Fecha de venta", "Estado", "Unidades", "Ingresos por productos (MXN)", "SKU", "# de publicación"]
MELI_ROWS = [["2000001", "15 de enero de 2025 10:32 hs.", "Entregado", "1", "2.450,50", "TAP-001", "MLM111"],
             ["2000002", "20 de enero de 2025 18:01 hs.", "Entregado", "2", "760,00", "TAP-001", "MLM111"]]


@pytest.mark.parametrize("title_rows", [
    [["Ventas"], ["Periodo: 01/01/2025 - 31/01/2025"], []],
    [["Reporte de ventas, enero"], ["Periodo: 01/01/2025 - 31/01/2025"]],
])
def test_a_mercadolibre_csv_with_title_rows_imports_like_the_xlsx(tmp_path, ruiz, title_rows):
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Tapete", price=Decimal("2450.50"))
    path = write_csv(tmp_path / "Ventas_MX.csv", [*title_rows, MELI_HEADERS, *MELI_ROWS], delimiter=";", encoding="utf-8-sig")
    report = import_sales("mercadolibre", path)
    assert not report.file_error and report.rejected == 0
    january = OutcomeRecord.objects.get(enterprise=ruiz, month=datetime.date(2025, 1, 1))
    assert (january.online_sales, january.orders, january.units) == (Decimal("3210.50"), 2, 3)
    xlsx = write_xlsx(tmp_path / "Ventas_MX.xlsx", {"Ventas": [*title_rows, MELI_HEADERS, *MELI_ROWS]})
    assert import_sales("mercadolibre", xlsx).unchanged == 1


# --- where each figure comes from ------------------------------------------------------------

def test_a_channel_report_never_replaces_a_surveyed_figure(tmp_path, ruiz):
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Tapete", price=Decimal(500))
    survey = write_csv(tmp_path / "encuesta.csv", [["Empresa", "Mes", "Ventas totales", "Ventas en línea", "Pedidos"],
                                                   ["tapetes-ruiz", "2025-01", "9000", "4534.62", "7"]])
    assert import_registry("outcomes", survey).ok
    meli = write_csv(tmp_path / "Ventas.csv", [MELI_HEADERS, ["2000009", "10 de enero de 2025 10:00 hs.", "Entregado", "1", "500,00", "TAP-001", "MLM111"]],
                     delimiter=";")
    report = import_sales("mercadolibre", meli)
    record = OutcomeRecord.objects.get(enterprise=ruiz)
    assert (record.online_sales, record.orders, record.total_sales) == (Decimal("4534.62"), 7, Decimal(9000))
    assert record.source_of("online_sales") == "survey"
    # The channel's own figure is kept beside it, and the report says what was kept.
    assert ChannelSales.objects.get(enterprise=ruiz).sales == Decimal(500)
    assert any("4534.62" in note and "500.00" in note for note in report.notes), report.notes


def test_a_channel_fills_figures_nobody_gave_and_a_survey_then_replaces_them(tmp_path, ruiz):
    OutcomeRecord.objects.create(enterprise=ruiz, month=datetime.date(2025, 1, 1), total_sales=Decimal(9000))
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Tapete", price=Decimal(500))
    meli = write_csv(tmp_path / "Ventas.csv", [MELI_HEADERS, ["2000009", "10 de enero de 2025 10:00 hs.", "Entregado", "1", "500,00", "TAP-001", "MLM111"]],
                     delimiter=";")
    import_sales("mercadolibre", meli)
    record = OutcomeRecord.objects.get(enterprise=ruiz)
    assert (record.online_sales, record.source_of("online_sales"), record.source_of("total_sales")) == (Decimal(500), "channel", "survey")
    survey = write_csv(tmp_path / "encuesta.csv", [["enterprise", "month", "online_sales"], ["tapetes-ruiz", "2025-01", "620.00"]])
    assert import_registry("outcomes", survey).updated == 1
    record.refresh_from_db()
    assert (record.online_sales, record.source_of("online_sales")) == (Decimal("620.00"), "survey")


def test_an_estimate_does_not_replace_a_surveyed_figure(tmp_path, ruiz):
    OutcomeRecord.objects.create(enterprise=ruiz, month=datetime.date(2025, 1, 1), total_sales=Decimal(9000), online_sales=Decimal(100))
    estimate = write_csv(tmp_path / "estimado.csv", [["Empresa", "Mes", "Ventas totales", "Fuente"], ["tapetes-ruiz", "2025-01", "12000", "estimación"]])
    report = import_registry("outcomes", estimate)
    assert [(e.header, e.reason) for e in report.errors] == [("Ventas totales", Reason.PRECEDENCE)]
    assert OutcomeRecord.objects.get().total_sales == Decimal(9000)


# --- the user's language and headers ---------------------------------------------------------

BAD_YEAR = [["Código", "Nombre", "Aldea", "Giro", "Año de fundación"], ["tapetes-ruiz", "Tapetes Ruiz", "teotitlan", "textiles", "1492"]]


@pytest.mark.parametrize(("language", "words"), [
    ("es-mx", "línea 2, columna Año de fundación: valor fuera de rango (1492 no está entre 1800 y 2100)"),
    ("pt-br", "linha 2, coluna Año de fundación: valor fora do intervalo (1492 não está entre 1800 e 2100)"),
    ("en", "line 2, column Año de fundación: value out of range (1492 is not between 1800 and 2100)"),
])
def test_reject_reports_speak_the_users_language_and_name_the_files_own_headers(tmp_path, programme, language, words):
    path = write_csv(tmp_path / "mipymes.csv", BAD_YEAR, delimiter=";", encoding="cp1252")
    with translation.override(language):
        report = import_registry("enterprises", path)
        assert [str(e) for e in report.errors] == [words]


def test_the_data_page_reports_in_spanish_with_the_files_headers(client, programme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user(username="gestora", password="x")
    Membership.objects.create(person=Person.objects.create(given_name="Gestora", user=user), role="manager", programme=programme)
    client.force_login(user)
    content = write_csv(tmp_path / "f.csv", BAD_YEAR, delimiter=";", encoding="cp1252").read_bytes()
    response = client.post(reverse("interop:upload"), {"kind": "enterprises", "mode": "valid-rows", "file": SimpleUploadedFile("f.csv", content)},
                           HTTP_ACCEPT_LANGUAGE="es-mx")
    page = response.content.decode()
    assert "Año de fundación" in page and "valor fuera de rango" in page and "founded_year" not in page


def test_the_rejects_file_is_written_in_the_source_files_dialect(tmp_path, ruiz):
    source = write_csv(tmp_path / "ventas.csv", [["Empresa", "Mes", "Ventas totales", "Ventas en línea"],
                                                 ["tapetes-ruiz", "2025-01", "1.234,50", "2.000,00"],
                                                 ["tapetes-ruiz", "2025-02", "1.000", "10,5"]], delimiter=";", encoding="cp1252")
    rejects = tmp_path / "rechazos.csv"
    with translation.override("es-mx"):
        import_registry("outcomes", source, rejects_path=rejects)
    raw = rejects.read_bytes()
    raw.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # Windows-1252, like the source ("línea" has a non-ASCII byte)
    rows = list(csv.reader(raw.decode("cp1252").splitlines(), delimiter=";"))
    assert rows[0] == ["Empresa", "Mes", "Ventas totales", "Ventas en línea", "_line", "_errors"]
    assert rows[1][:4] == ["tapetes-ruiz", "2025-01", "1.234,50", "2.000,00"]  # the cells as the file wrote them
    assert rows[1][4] == "2" and "Ventas en línea" in rows[1][5]
    # Corrected and imported again, it reads with the same dialect.
    rows[1][3] = "234,50"
    fixed = tmp_path / "corregido.csv"
    fixed.write_bytes("\r\n".join(";".join(r) for r in rows[:2]).encode("cp1252"))
    assert import_registry("outcomes", fixed).ok
    assert OutcomeRecord.objects.get(month=datetime.date(2025, 1, 1)).online_sales == Decimal("234.50")


# --- no server paths -------------------------------------------------------------------------

def test_file_errors_never_show_server_paths(tmp_path, programme):
    folder = tmp_path / "srv" / "media" / "interop-uploads"
    folder.mkdir(parents=True)
    broken_parquet = folder / "0123456789abcdef0123456789abcdef.parquet"
    broken_parquet.write_bytes(b"PAR1 not really parquet")
    broken_xlsx = folder / "fedcba9876543210fedcba9876543210.xlsx"
    broken_xlsx.write_bytes(b"PK\x03\x04 not a workbook")
    for path, name in ((broken_parquet, "mipymes.parquet"), (broken_xlsx, "mipymes.xlsx"), (folder / "gone.csv", "mipymes.csv")):
        report = import_registry("enterprises", path, name=name)
        assert report.file_error.startswith(name)
        assert str(tmp_path) not in report.file_error and path.stem not in report.file_error
    assert str(tmp_path) not in import_registry("enterprises", folder / "gone.csv").file_error


# --- safe feeds and forms --------------------------------------------------------------------

def test_the_google_tsv_feed_neutralises_formulas(tmp_path, ruiz):
    ruiz.has_showcase_consent = True  # feeds publish only producers on show
    ruiz.save()
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title='=HYPERLINK("https://evil.example","Oferta")',
                           description="+1 tapete", brand="@marca", price=Decimal(10), is_handmade=True,
                           image_urls=["https://img.example.mx/t.jpg"])
    out = tmp_path / "google.tsv"
    write_feed("google", out, base_url="https://aldea.example.mx")
    row = next(csv.DictReader(out.open(encoding="utf-8"), delimiter="\t"))
    assert row["title"] == '\'=HYPERLINK("https://evil.example","Oferta")'
    assert row["description"] == "'+1 tapete" and row["brand"] == "'@marca"
    assert readers.clean_text(row["title"]) == '=HYPERLINK("https://evil.example","Oferta")'


def test_the_xlsform_stores_a_formula_looking_village_name_as_text(tmp_path, programme):
    village = programme.villages.get(slug="teotitlan")
    village.name = '=HYPERLINK("https://evil.example")'
    village.save()
    path = write_xlsform("registration", tmp_path / "registro.xlsx")
    cells = [c for row in openpyxl.load_workbook(path)["choices"].iter_rows() for c in row if c.value == village.name]
    assert cells and all(c.data_type == "s" for c in cells)
