"""Exports import back unchanged, in every format and after a spreadsheet re-saves them."""

import csv
import datetime
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from aldea.accounts.models import Person
from aldea.enterprises.models import Enterprise, Product
from aldea.interop.exporters import REGISTRIES, export_registry
from aldea.interop.models import PersonReference
from aldea.interop.services import import_registry
from aldea.outcomes.models import OutcomeRecord
from aldea.territories.models import Locality

# Imported in dependency order: localities and people before the enterprises that point at them.
ORDER = ["localities", "people", "enterprises", "products", "outcomes"]


@pytest.fixture
def registries(programme, territory):
    teotitlan = programme.villages.get(slug="teotitlan")
    maria = Person.objects.create(
        given_name="María de los Ángeles", family_name="=HYPERLINK(\"http://evil\")", sex="female", birth_year=1978,
        speaks_indigenous_language=True, indigenous_language="Zapoteco", email="Maria.Angeles@Example.mx",
        phone="+52 951 123 4567", has_contact_consent=True, contact_consent_on=datetime.date(2025, 2, 14),
        locality=Locality.objects.get(code="205460001"),
    )
    PersonReference.objects.create(person=maria, external_id="FOLIO-0001")
    Person.objects.create(given_name="João", family_name="-Tecelão", email="joao@example.br")
    ruiz = Enterprise.objects.create(
        programme=programme, village=teotitlan, code="tapetes-ruiz", name="@Tapetes Ruiz; \"los de siempre\"",
        municipality=territory["teotitlan"], locality=Locality.objects.get(code="205460001"), sector="textiles",
        speciality="Tapetes, grana cochinilla", employees=3, founded_year=1998, is_women_led=True,
        baseline_channels=["physical", "social"], has_showcase_consent=True, owner=maria,
    )
    Enterprise.objects.create(
        programme=programme, group="comparison", code="control-1", name="Comparación Uno",
        municipality=territory["arrazola"], sector="crafts",
    )
    Product.objects.create(
        enterprise=ruiz, sku="TAP-001", title="Tapete 1,20 × 0,80 m", description="Lana teñida con\ngrana cochinilla",
        category="Hogar > Tapetes", price=Decimal("2450.50"), stock=4, is_handmade=True,
        image_urls=["https://example.mx/t1.jpg", "https://example.mx/t1b.jpg"],
    )
    Product.objects.create(enterprise=ruiz, sku="TAP-002", title="+Cojín", price=Decimal("380.00"), gtin="7501234567897", brand="Ruiz")
    OutcomeRecord.objects.create(enterprise=ruiz, month=datetime.date(2025, 1, 1), total_sales=Decimal("15230.75"),
                                 online_sales=Decimal("4200.10"), orders=9, units=14, employees=3)
    OutcomeRecord.objects.create(enterprise=ruiz, month=datetime.date(2025, 2, 1), total_sales=Decimal("1234567.89"),
                                 source="estimate")
    loc = Locality.objects.get(code="205530001")
    loc.marginalisation_index = 0.123456789012
    loc.marginalisation_degree = "alto"
    loc.save()


def snapshot():
    def rows(model):
        return sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
    return {m.__name__: rows(m) for m in (Locality, Person, PersonReference, Enterprise, Product, OutcomeRecord)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_an_untouched_export_imports_back_unchanged(tmp_path, registries, fmt):
    before = snapshot()
    for kind in ORDER:
        path = tmp_path / f"{kind}.{fmt}"
        count = export_registry(kind, path)
        report = import_registry(kind, path)
        assert report.ok, (kind, report.file_error, [str(e) for e in report.errors])
        assert (report.created, report.updated, report.rejected) == (0, 0, 0), kind
        assert report.unchanged == count
    assert snapshot() == before


def excel_resave(path, out, *, delimiter=";", encoding="cp1252"):
    """What Excel on a Spanish/Portuguese Windows does when saving a CSV: ; delimiter, decimal
    commas, dd/mm/yyyy dates, VERDADERO/FALSO, Windows-1252, no BOM."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    converted = [rows[0]]
    for row in rows[1:]:
        new = []
        for cell in row:
            if re.fullmatch(r"-?\d+\.\d+", cell):
                cell = cell.replace(".", ",")
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
                y, m, d = cell.split("-")
                cell = f"{d}/{m}/{y}"
            elif cell in ("true", "false"):
                cell = {"true": "VERDADERO", "false": "FALSO"}[cell]
            new.append(cell)
        converted.append(new)
    with open(out, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(converted)
    return out


def test_an_export_resaved_by_a_spreadsheet_imports_back_unchanged(tmp_path, registries):
    before = snapshot()
    for kind in ORDER:
        export_registry(kind, tmp_path / f"{kind}.csv")
        resaved = excel_resave(tmp_path / f"{kind}.csv", tmp_path / f"{kind}-excel.csv")
        report = import_registry(kind, resaved)
        assert report.ok, (kind, report.file_error, [str(e) for e in report.errors])
        assert (report.created, report.updated) == (0, 0), kind
        assert "';'" in report.format
    assert snapshot() == before


def test_formula_cells_are_neutralised_in_csv_and_xlsx(tmp_path, registries):
    export_registry("enterprises", tmp_path / "e.csv")
    text = (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    assert "'@Tapetes Ruiz" in text
    export_registry("people", tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in values
    assert "'-Tecelão" in values and "'+52 951 123 4567" in values
    # No cell is a formula.
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_export_command_writes_each_registry(tmp_path, registries):
    for kind in REGISTRIES:
        call_command("export", kind, "--format", "xlsx", "--out", str(tmp_path / f"{kind}.xlsx"))
        assert (tmp_path / f"{kind}.xlsx").stat().st_size > 0


def test_spreadsheets_drop_leading_zeros_and_the_importer_restores_them(tmp_path, territory):
    from aldea.territories.models import AdministrativeArea

    ags = AdministrativeArea.objects.create(country=territory["mexico"], level="state", code="01", name="Aguascalientes")
    AdministrativeArea.objects.create(country=territory["mexico"], level="municipality", code="01001", name="Aguascalientes", parent=ags)
    path = tmp_path / "loc.csv"
    path.write_text("code,name\n10010001,Aguascalientes\n", encoding="utf-8")
    report = import_registry("localities", path)
    assert report.ok, report.errors
    assert Locality.objects.get(code="010010001").municipality.code == "01001"
