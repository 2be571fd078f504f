"""An XLSX workbook or a zipped CSV that expands past the row or cell limit is refused, saying the limit."""

import zipfile

import pytest
from interop_files import write_xlsx

from aldea.interop import readers
from aldea.interop.importers.base import ALL_OR_NOTHING
from aldea.interop.services import import_registry


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(readers, "MAX_EXPANDED_ROWS", 50)
    monkeypatch.setattr(readers, "MAX_EXPANDED_CELLS", 400)


def read_all(path):
    with readers.open_table(path) as table:
        return list(table.rows)


def test_a_workbook_past_the_row_limit_is_refused_with_the_limit(tmp_path, small_limits):
    path = write_xlsx(tmp_path / "big.xlsx", {"MIPYMES": [["code", "name"], *[[f"c{i}", "x"] for i in range(60)]]})
    with pytest.raises(readers.FileRefused, match="more than 50 rows; an XLSX workbook or a zipped CSV may hold at most 50 rows and 400 cells"):
        read_all(path)


def test_a_workbook_that_hides_its_size_is_stopped_while_read(tmp_path, small_limits):
    path = write_xlsx(tmp_path / "big.xlsx", {"MIPYMES": [["code", "name"], *[[f"c{i}", "x"] for i in range(60)]]})
    # Strip the sheet's <dimension>, so only counting the rows read can stop it.
    stripped = tmp_path / "stripped.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                import re

                body = re.sub(rb"<dimension[^>]*/>", b"", body)
            target.writestr(item, body)
    with pytest.raises(readers.FileRefused, match="more than 50 rows"):
        read_all(stripped)


def test_a_wide_workbook_past_the_cell_limit_is_refused(tmp_path, small_limits):
    path = write_xlsx(tmp_path / "wide.xlsx", {"S": [[f"h{i}" for i in range(30)], *[[1] * 30 for _ in range(20)]]})
    with pytest.raises(readers.FileRefused, match="more than 400 cells"):
        read_all(path)


def test_a_workbook_within_the_limits_reads_whole(tmp_path, small_limits):
    path = write_xlsx(tmp_path / "ok.xlsx", {"S": [["code", "name"], *[[f"c{i}", "x"] for i in range(40)]]})
    assert len(read_all(path)) == 40


def test_a_sheet_packed_to_explode_is_refused_before_it_is_read(tmp_path):
    path = write_xlsx(tmp_path / "plain.xlsx", {"S": [["code", "name"], ["a", "b"]]})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                # 20 MB of filler inside an XML comment packs about a thousand times smaller.
                body = body.replace(b"<sheetData>", b"<!--" + b" " * (20 * 2**20) + b"--><sheetData>")
            target.writestr(item.filename, body)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(readers.FileRefused, match=r"expands [\d,]+ times when unpacked; the limit is 200 times"):
        readers.open_table(bomb)


def test_the_import_reports_the_refusal_and_writes_nothing(tmp_path, small_limits, programme):
    from aldea.enterprises.models import Enterprise

    rows = [["code", "name", "village", "sector"], *[[f"m{i}", "Taller", "teotitlan", "textiles"] for i in range(60)]]
    path = write_xlsx(tmp_path / "mipymes.xlsx", {"MIPYMES": rows})

    report = import_registry("enterprises", path, mode=ALL_OR_NOTHING)

    assert "more than 50 rows" in report.file_error
    assert Enterprise.objects.count() == 0


def test_a_zipped_csv_past_the_row_limit_is_refused(tmp_path, small_limits):
    archive_path = tmp_path / "central.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("form.csv", "KEY,name\n" + "".join(f"uuid:{i},x\n" for i in range(80)))
    with zipfile.ZipFile(archive_path) as archive:
        info = archive.getinfo("form.csv")
        # Refused while the first rows are read to learn the columns' decimal marks, or after.
        with pytest.raises(readers.FileRefused, match="central.zip: form.csv: more than 50 rows"):
            table = readers.csv_table(f"central.zip: {info.filename}", lambda: archive.open(info), expands=True)
            list(table.rows)
