"""People, products, outcomes and localities: natural keys, language variants, reject reasons."""

import datetime
from decimal import Decimal

import pytest
from interop_files import write_csv, write_xlsx

from aldea.accounts.models import Person
from aldea.enterprises.models import Enterprise, Product
from aldea.interop.importers.base import Reason
from aldea.interop.models import PersonReference
from aldea.interop.services import import_registry
from aldea.outcomes.models import OutcomeRecord
from aldea.territories.models import Locality


@pytest.fixture
def ruiz(programme, territory):
    return Enterprise.objects.create(
        programme=programme, village=programme.villages.get(slug="teotitlan"), code="tapetes-ruiz",
        name="Tapetes Ruiz", municipality=territory["teotitlan"], sector="textiles",
    )


def test_people_are_keyed_by_external_id_and_reimport_updates_them(tmp_path, territory):
    headers = ["Folio", "Nombre", "Apellidos", "Sexo", "Año de nacimiento", "Habla lengua indígena", "Lengua indígena",
               "Teléfono", "Consentimiento contacto", "Fecha consentimiento", "Localidad"]
    rows = [["F-001", "Juana", "Hernández Ruiz", "Mujer", "1980", "sí", "Zapoteco", "951 555 0101", "sí", "14/02/2025", "205460001"],
            ["F-002", "Pedro", "Gómez", "H", "", "no", "", "", "no", "", ""]]
    path = write_csv(tmp_path / "personas.csv", [headers, *rows], delimiter=";", encoding="cp1252")
    report = import_registry("people", path)
    assert report.ok, report.errors
    assert report.created == 2
    juana = PersonReference.objects.get(external_id="F-001").person
    assert (juana.sex, juana.birth_year, juana.contact_consent_on) == ("female", 1980, datetime.date(2025, 2, 14))
    assert juana.locality.code == "205460001"
    rows[1][4] = "1975"
    report = import_registry("people", write_csv(tmp_path / "p2.csv", [headers, *rows], delimiter=";", encoding="cp1252"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Person.objects.count() == 2
    assert PersonReference.objects.get(external_id="F-002").person.birth_year == 1975


def test_people_without_any_key_or_with_consent_but_no_date_are_rejected(tmp_path, territory):
    path = write_csv(tmp_path / "pessoas.csv", [
        ["Nome", "Sobrenome", "E-mail", "Consentimento contato", "Data consentimento"],
        ["Ana", "Souza", "", "não", ""],
        ["Bia", "Lima", "bia@example.br", "sim", ""],
        ["Caio", "Reis", "caio@example", "não", ""],
    ], encoding="utf-8-sig")
    report = import_registry("people", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "external_id", Reason.MISSING), (3, "contact_consent_on", Reason.MISSING), (4, "email", Reason.BAD_VALUE),
    ]
    assert Person.objects.count() == 0


def test_people_matched_by_email_ignore_case(tmp_path, territory):
    Person.objects.create(given_name="Bia", email="Bia@Example.br")
    path = write_csv(tmp_path / "p.csv", [["nome", "email"], ["Beatriz", "bia@example.BR"]])
    report = import_registry("people", path)
    assert (report.created, report.updated) == (0, 1)
    assert Person.objects.get().given_name == "Beatriz"


def test_products_are_keyed_by_enterprise_and_sku(tmp_path, ruiz):
    headers = ["Empresa", "SKU", "Título", "Precio", "Existencias", "Hecho a mano", "Imágenes"]
    rows = [["tapetes-ruiz", "TAP-001", "Tapete zapoteco", "2.450,50", "3", "sí", "https://ex.mx/a.jpg|https://ex.mx/b.jpg"],
            ["tapetes-ruiz", "TAP-002", "Cojín", "380", "0", "sí", ""]]
    path = write_csv(tmp_path / "productos.csv", [headers, *rows], delimiter=";", encoding="cp1252")
    report = import_registry("products", path)
    assert report.ok, report.errors
    product = Product.objects.get(sku="TAP-001")
    assert product.price == Decimal("2450.50") and product.image_urls == ["https://ex.mx/a.jpg", "https://ex.mx/b.jpg"]
    assert import_registry("products", path).unchanged == 2


def test_product_rejects_name_each_reason(tmp_path, ruiz):
    path = write_xlsx(tmp_path / "produtos.xlsx", {"Produtos": [
        ["Empresa", "SKU", "Título", "Preço", "Código de barras"],
        ["tapetes-ruiz", "A", "Bom", 10, ""],
        ["nao-existe", "B", "Sem empresa", 10, ""],
        ["tapetes-ruiz", "A", "Repetido", 10, ""],
        ["tapetes-ruiz", "C", "Grátis", 0, ""],
        ["tapetes-ruiz", "D", "", 5, ""],
        ["tapetes-ruiz", "E", "GTIN ruim", 5, "12AB"],
    ]})
    report = import_registry("products", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (3, "enterprise", Reason.UNKNOWN), (4, "sku", Reason.DUPLICATE), (5, "price", Reason.OUT_OF_RANGE),
        (6, "title", Reason.MISSING), (7, "gtin", Reason.BAD_VALUE),
    ]
    assert list(Product.objects.values_list("sku", flat=True)) == ["A"]


def test_outcomes_are_monthly_and_online_sales_cannot_exceed_total(tmp_path, ruiz):
    path = write_csv(tmp_path / "resultados.csv", [
        ["Empresa", "Mes", "Ventas totales", "Ventas en línea", "Pedidos"],
        ["tapetes-ruiz", "01/2025", "15.230,75", "4.200,10", "9"],
        ["tapetes-ruiz", "15/02/2025", "100,00", "200,00", "1"],
        ["tapetes-ruiz", "2025-01", "1,00", "0", "0"],
        ["tapetes-ruiz", "2025-03", "-5", "0", "0"],
    ], delimiter=";")
    report = import_registry("outcomes", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (3, "online_sales", Reason.OUT_OF_RANGE), (4, "month", Reason.DUPLICATE), (5, "total_sales", Reason.OUT_OF_RANGE),
    ]
    record = OutcomeRecord.objects.get()
    assert (record.month, record.total_sales, record.online_sales) == (datetime.date(2025, 1, 1), Decimal("15230.75"), Decimal("4200.10"))


def test_localities_check_municipality_and_coordinates(tmp_path, territory):
    path = write_csv(tmp_path / "localidades.csv", [
        ["CVE_LOC", "NOM_LOC", "Latitud", "Longitud", "Población", "Grado marginación"],
        ["205460002", "El Descanso", "17,05", "-96,51", "312", "Alto"],
        ["999990001", "Ninguna", "", "", "", ""],
        ["205460003", "Sin longitud", "17,0", "", "", ""],
        ["205460004", "Fuera", "95", "-96", "", ""],
    ], delimiter=";", encoding="cp1252")
    report = import_registry("localities", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (3, "municipality", Reason.UNKNOWN), (4, "longitude", Reason.MISSING), (5, "latitude", Reason.OUT_OF_RANGE),
    ]
    descanso = Locality.objects.get(code="205460002")
    assert descanso.municipality.code == "20546" and descanso.marginalisation_degree == "alto"
    assert descanso.latitude == Decimal("17.05")


def test_a_file_cut_off_part_way_is_refused_whole(tmp_path, programme):
    path = write_xlsx(tmp_path / "m.xlsx", {"m": [["code", "name", "village", "municipality", "sector"],
                                                   *[[f"e{i}", f"E {i}", "teotitlan", "20546", "crafts"] for i in range(50)]]})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    report = import_registry("enterprises", path)
    assert report.file_error and report.written == 0
    assert Enterprise.objects.count() == 0


def test_the_user_guide_lists_every_accepted_column_name():
    from pathlib import Path

    from aldea.interop.importers.registries import IMPORTERS

    guide = (Path(__file__).resolve().parents[2] / "docs" / "interop.md").read_text(encoding="utf-8")
    for importer in IMPORTERS.values():
        for column in importer.columns:
            assert f"`{column.name}`" in guide
            for alias in column.aliases:
                assert alias in guide, (importer.kind, alias)


def test_a_corrected_rejects_file_imports(tmp_path, ruiz):
    path = write_csv(tmp_path / "p.csv", [["enterprise", "sku", "title", "price"], ["tapetes-ruiz", "A", "Tapete", "abc"]])
    rejects = tmp_path / "rejects.csv"
    assert import_registry("products", path, rejects_path=rejects).rejected == 1
    text = rejects.read_text(encoding="utf-8-sig").replace(",abc,", ",100,")
    rejects.write_text(text, encoding="utf-8-sig")
    report = import_registry("products", rejects)
    assert report.ok and report.created == 1
