"""Bulk import of enterprises: formats, header languages, reject reasons, modes, the command."""

import csv

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from interop_files import write_csv, write_xlsx

from aldea.enterprises.models import Enterprise
from aldea.interop.importers.base import ALL_OR_NOTHING, VALID_ROWS, Reason
from aldea.interop.services import import_registry

SPANISH = ["Código", "Nombre", "Aldea", "Municipio", "Localidad", "Giro", "Empleados", "Año de fundación", "Liderada por mujer"]
GOOD_ES = [
    ["tapetes-ruiz", "Tapetes Ruiz Peña", "teotitlan", "20546", "205460001", "Textiles y confección", "3", "1998", "sí"],
    ["alebrijes-jacobo", "Alebrijes Jacobo y María Ángeles", "arrazola", "20553", "", "artesanía", "12", "1995", "no"],
]


def test_latin1_semicolon_spanish_headers_import(tmp_path, programme):
    path = write_csv(tmp_path / "mipymes.csv", [SPANISH, *GOOD_ES], delimiter=";", encoding="cp1252")
    report = import_registry("enterprises", path)
    assert report.ok, report.errors
    assert (report.read, report.created, report.written, report.rejected) == (2, 2, 2, 0)
    ruiz = Enterprise.objects.get(code="tapetes-ruiz")
    assert ruiz.name == "Tapetes Ruiz Peña"
    assert ruiz.locality.code == "205460001"
    assert ruiz.municipality.code == "20546"
    assert ruiz.sector == "textiles" and ruiz.employees == 3 and ruiz.founded_year == 1998 and ruiz.is_women_led
    assert Enterprise.objects.get(code="alebrijes-jacobo").sector == "crafts"


def test_utf8_bom_portuguese_headers_import(tmp_path, programme):
    headers = ["Código", "Nome", "Aldeia", "Código do município", "Setor", "Empregados", "Liderada por mulher"]
    rows = [["cafe-serra", "Café da Serra", "teotitlan", "20546", "alimentos", "4", "sim"]]
    path = write_csv(tmp_path / "empresas.csv", [headers, *rows], encoding="utf-8-sig")
    report = import_registry("enterprises", path)
    assert report.ok, report.errors
    assert "BOM" in report.format
    assert Enterprise.objects.get(code="cafe-serra").is_women_led


def test_xlsx_and_parquet_import(tmp_path, programme):
    xlsx = write_xlsx(tmp_path / "mipymes.xlsx", {"MIPYMES": [SPANISH, *GOOD_ES]})
    assert import_registry("enterprises", xlsx).created == 2
    frame = pd.DataFrame(
        [{"code": "mezcal-1", "name": "Mezcal Don Aurelio", "village": "arrazola", "municipality": "20553", "sector": "food", "employees": 2}]
    )
    frame.to_parquet(tmp_path / "mipymes.parquet")
    report = import_registry("enterprises", tmp_path / "mipymes.parquet")
    assert report.ok and report.created == 1
    assert Enterprise.objects.count() == 3


def test_reimport_of_the_same_file_changes_nothing(tmp_path, programme):
    path = write_csv(tmp_path / "mipymes.csv", [SPANISH, *GOOD_ES], delimiter=";", encoding="cp1252")
    import_registry("enterprises", path)
    stamps = dict(Enterprise.objects.values_list("code", "updated_at"))
    report = import_registry("enterprises", path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert dict(Enterprise.objects.values_list("code", "updated_at")) == stamps


def test_changed_rows_are_updated_by_code(tmp_path, programme):
    import_registry("enterprises", write_csv(tmp_path / "a.csv", [SPANISH, *GOOD_ES]))
    changed = [GOOD_ES[0][:6] + ["7", "1998", "sí"], GOOD_ES[1]]
    report = import_registry("enterprises", write_csv(tmp_path / "b.csv", [SPANISH, *changed]))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Enterprise.objects.get(code="tapetes-ruiz").employees == 7


BAD_ROWS = [
    # line 3: unknown locality
    (["mal-1", "Uno", "teotitlan", "20546", "999999999", "textiles", "1", "", ""], "Localidad", Reason.UNKNOWN),
    # line 4: unknown municipality
    (["mal-2", "Dos", "teotitlan", "99999", "", "textiles", "1", "", ""], "Municipio", Reason.UNKNOWN),
    # line 5: duplicate of line 2
    (["tapetes-ruiz", "Otra", "teotitlan", "20546", "", "textiles", "1", "", ""], "Código", Reason.DUPLICATE),
    # line 6: missing name
    (["mal-3", "", "teotitlan", "20546", "", "textiles", "1", "", ""], "Nombre", Reason.MISSING),
    # line 7: founding year out of range
    (["mal-4", "Cuatro", "teotitlan", "20546", "", "textiles", "1", "1492", ""], "Año de fundación", Reason.OUT_OF_RANGE),
    # line 8: bad sector
    (["mal-5", "Cinco", "teotitlan", "20546", "", "minería", "1", "", ""], "Giro", Reason.BAD_VALUE),
]


def _file_with_bad_rows(tmp_path):
    return write_csv(tmp_path / "mixed.csv", [SPANISH, GOOD_ES[0], *(r for r, _, _ in BAD_ROWS), GOOD_ES[1]], delimiter=";", encoding="cp1252")


CANONICAL = {"Código": "code", "Nombre": "name", "Municipio": "municipality", "Localidad": "locality", "Año de fundación": "founded_year", "Giro": "sector"}


def test_every_bad_row_is_reported_with_line_column_and_reason(tmp_path, programme):
    report = import_registry("enterprises", _file_with_bad_rows(tmp_path))
    got = [(e.line, e.column, e.reason) for e in report.errors]
    expected = [(line, CANONICAL[col], reason) for line, (_, col, reason) in enumerate(BAD_ROWS, start=3)]
    assert got == expected
    assert (report.read, report.rejected) == (8, 6)


def test_valid_rows_mode_writes_the_good_rows(tmp_path, programme):
    report = import_registry("enterprises", _file_with_bad_rows(tmp_path), mode=VALID_ROWS)
    assert report.written == 2 and report.rejected == 6
    assert set(Enterprise.objects.values_list("code", flat=True)) == {"tapetes-ruiz", "alebrijes-jacobo"}


def test_all_or_nothing_mode_writes_nothing_when_a_row_is_bad(tmp_path, programme):
    before = Enterprise.objects.count()
    report = import_registry("enterprises", _file_with_bad_rows(tmp_path), mode=ALL_OR_NOTHING)
    assert report.rejected == 6 and report.written == 0
    assert Enterprise.objects.count() == before == 0


def test_all_or_nothing_mode_writes_everything_when_all_rows_are_good(tmp_path, programme):
    report = import_registry("enterprises", write_csv(tmp_path / "ok.csv", [SPANISH, *GOOD_ES]), mode=ALL_OR_NOTHING)
    assert report.written == 2 and Enterprise.objects.count() == 2


def test_dry_run_writes_nothing_but_reports_what_it_would_do(tmp_path, programme):
    report = import_registry("enterprises", _file_with_bad_rows(tmp_path), dry_run=True)
    assert (report.created, report.rejected, report.written) == (2, 6, 0)
    assert Enterprise.objects.count() == 0


def test_bad_dates_are_reported(tmp_path, programme):
    from aldea.enterprises.models import Enterprise as E

    E.objects.create(programme=programme, village=programme.villages.first(), code="e1", name="E1",
                     municipality=programme.villages.first().municipality, sector="crafts")
    path = write_csv(tmp_path / "ventas.csv", [["Empresa", "Mes", "Ventas totales"], ["e1", "2025-13", "10"], ["e1", "31/02/2025", "5"]])
    report = import_registry("outcomes", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(2, "month", Reason.BAD_DATE), (3, "month", Reason.BAD_DATE)]


def test_rejects_file_holds_the_original_rows_and_their_reasons(tmp_path, programme):
    rejects = tmp_path / "rechazos.csv"
    import_registry("enterprises", _file_with_bad_rows(tmp_path), rejects_path=rejects)
    # Written back as the source was: Windows-1252, semicolons.
    with open(rejects, encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["_line"] for r in rows] == ["3", "4", "5", "6", "7", "8"]
    assert rows[0]["Código"] == "mal-1" and "unknown reference" in rows[0]["_errors"]


def test_unknown_and_missing_columns_refuse_the_whole_file(tmp_path, programme):
    report = import_registry("enterprises", write_csv(tmp_path / "x.csv", [["Código", "Color favorito"], ["a", "azul"]]))
    assert report.file_error and "Color favorito" in report.file_error and "name" in report.file_error
    assert report.written == 0


def test_command_prints_counts_and_exits_non_zero_on_rejects(tmp_path, programme, capsys):
    with pytest.raises(CommandError, match="6 row"):
        call_command("import", "enterprises", str(_file_with_bad_rows(tmp_path)), "--mode", "all-or-nothing")
    out = capsys.readouterr().out
    assert "line 3, column Localidad: unknown reference" in out
    assert "read 8" in out and "rejected 6" in out
    assert Enterprise.objects.count() == 0
    call_command("import", "enterprises", str(write_csv(tmp_path / "ok.csv", [SPANISH, *GOOD_ES])))
    assert "rejected 0" in capsys.readouterr().out
    assert Enterprise.objects.count() == 2


def test_a_bad_value_repeated_on_many_lines_is_reported_on_each_line(tmp_path, programme):
    # Cell outcomes are remembered per distinct spelling; a remembered error must still reach
    # every row that carries it, with that row's own line number.
    rows = [[f"taller-{i}", f"Taller {i}", "teotitlan", "20546", "", "pesca" if i % 2 else "textiles", "2", "1990", "sí"]
            for i in range(3000)]
    path = write_csv(tmp_path / "mipymes.csv", [SPANISH, *rows], delimiter=";", encoding="cp1252")
    report = import_registry("enterprises", path, mode=VALID_ROWS)
    assert (report.read, report.created, report.rejected) == (3000, 1500, 1500)
    sector_errors = [e for e in report.errors if e.column == "sector"]
    assert [e.line for e in sector_errors[:3]] == [3, 5, 7]
    assert all(e.value == "pesca" for e in sector_errors)
    assert Enterprise.objects.count() == 1500


def test_rows_with_the_same_channels_do_not_share_one_list(tmp_path, programme):
    headers = [*SPANISH, "Canales de venta"]
    rows = [[*GOOD_ES[0], "marketplace|redes"], [*GOOD_ES[1], "marketplace|redes"]]
    path = write_csv(tmp_path / "mipymes.csv", [headers, *rows], delimiter=";", encoding="cp1252")
    assert import_registry("enterprises", path).ok
    first, second = Enterprise.objects.order_by("code")
    assert first.baseline_channels == second.baseline_channels == ["marketplace", "social"]


def test_new_rows_into_a_registry_that_already_has_rows_update_and_create(tmp_path, programme):
    # The existing-key lookup is skipped only when the table was empty as the import began.
    first = write_csv(tmp_path / "a.csv", [SPANISH, GOOD_ES[0]], delimiter=";", encoding="cp1252")
    import_registry("enterprises", first)
    renamed = [GOOD_ES[0][0], "Tapetes Ruiz e Hijas", *GOOD_ES[0][2:]]
    both = write_csv(tmp_path / "b.csv", [SPANISH, renamed, GOOD_ES[1]], delimiter=";", encoding="cp1252")
    report = import_registry("enterprises", both)
    assert (report.created, report.updated, report.rejected) == (1, 1, 0)
    assert Enterprise.objects.get(code="tapetes-ruiz").name == "Tapetes Ruiz e Hijas"
