"""Fuzzing the importers: random, mangled and truncated files end in a clean import or a clean
refusal, never a traceback, and never a partial write."""

import functools
import io
import itertools
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_files import write_xlsx

from aldea.enterprises.models import Enterprise, Product
from aldea.interop.importers.base import ALL_OR_NOTHING, VALID_ROWS
from aldea.interop.services import import_registry
from aldea.outcomes.models import OutcomeRecord
from aldea.territories.models import Locality

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
COUNT = itertools.count()
MODELS = {"enterprises": Enterprise, "products": Product, "outcomes": OutcomeRecord, "localities": Locality}

HEADERS = {
    "enterprises": ["code", "Código", "name", "Nombre", "village", "Aldea", "municipality", "Municipio", "locality", "sector", "Giro",
                    "employees", "founded_year", "is_women_led", "Color", ""],
    "products": ["enterprise", "Empresa", "sku", "title", "Título", "price", "Preço", "stock", "gtin", "image_urls", "x"],
    "outcomes": ["enterprise", "month", "Mes", "total_sales", "online_sales", "orders", "units", "???"],
    "localities": ["code", "name", "CVE_LOC", "NOM_LOC", "latitude", "longitude", "population", "Latitud"],
}
CELLS = st.one_of(
    st.sampled_from(["teotitlan", "arrazola", "20546", "205460001", "999", "textiles", "crafts", "Artesanías", "e1", "tapetes-ruiz",
                     "1.234,56", "12,5", "-3", "0", "1998", "31/02/2025", "2025-01", "sí", "não", "=1+1", "'=x", "@", "",
                     "https://a.mx/x.jpg", "17,05", "-96,5", "95", "1e400", "NaN", "∞", "\"", "a\nb", ";", ","]),
    st.text(max_size=12),
)


def _csv(headers, rows, delimiter):
    out = io.StringIO()
    import csv

    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def check_clean(kind, path, mode, before):
    report = import_registry(kind, path, mode=mode)
    after = MODELS[kind].objects.count()
    if report.file_error:
        assert after == before, "a refused file wrote rows"
        return report
    assert report.read == report.created + report.updated + report.unchanged + report.rejected
    if report.committed:
        assert after == before + report.created
        assert not (mode == ALL_OR_NOTHING and report.rejected)
    else:
        assert after == before, "an uncommitted import wrote rows"
    return report


@pytest.fixture
def fuzz_world(programme):
    village = programme.villages.get(slug="teotitlan")
    Enterprise.objects.create(programme=programme, village=village, code="e1", name="E1", municipality=village.municipality, sector="crafts")
    return programme


@pytest.mark.parametrize("kind", list(HEADERS))
@FUZZ
@given(data=st.data())
def test_random_spreadsheets_import_cleanly_or_are_refused(tmp_path, fuzz_world, kind, data):
    headers = data.draw(st.lists(st.sampled_from(HEADERS[kind]), min_size=1, max_size=8))
    rows = data.draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(headers) + 2), max_size=8))
    delimiter = data.draw(st.sampled_from([",", ";", "\t"]))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    mode = data.draw(st.sampled_from([ALL_OR_NOTHING, VALID_ROWS]))
    path = tmp_path / f"fuzz-{next(COUNT)}.csv"
    path.write_bytes(_csv(headers, rows, delimiter).encode(encoding, errors="replace"))
    check_clean(kind, path, mode, MODELS[kind].objects.count())


@functools.cache
def _valid_files():
    # Built once: an XLSX carries its creation time, and Hypothesis needs the same bytes each run.
    tmp_path = Path(tempfile.mkdtemp(prefix="aldea-fuzz-"))
    rows = [["code", "name", "village", "municipality", "sector"], *[[f"f{i}", f"Fuzz {i}", "teotitlan", "20546", "crafts"] for i in range(30)]]
    csv_path = tmp_path / "base.csv"
    csv_path.write_text(_csv(rows[0], rows[1:], ";"), encoding="cp1252")
    xlsx_path = write_xlsx(tmp_path / "base.xlsx", {"data": rows})
    parquet_path = tmp_path / "base.parquet"
    pd.DataFrame(rows[1:], columns=rows[0]).to_parquet(parquet_path)
    return {".csv": csv_path.read_bytes(), ".xlsx": xlsx_path.read_bytes(), ".parquet": parquet_path.read_bytes()}


@FUZZ
@given(data=st.data())
def test_truncated_and_corrupted_files_never_half_import(tmp_path, fuzz_world, data):
    files = _valid_files()
    suffix = data.draw(st.sampled_from(sorted(files)))
    content = bytearray(files[suffix])
    cut = data.draw(st.integers(min_value=0, max_value=len(content)))
    content = content[:cut]
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        if content:
            position = data.draw(st.integers(min_value=0, max_value=len(content) - 1))
            content[position] = data.draw(st.integers(min_value=0, max_value=255))
    path = tmp_path / f"cut-{next(COUNT)}{suffix}"
    path.write_bytes(bytes(content))
    before = Enterprise.objects.count()
    report = check_clean("enterprises", path, ALL_OR_NOTHING, before)
    # All-or-nothing: either the whole (surviving) file went in, or nothing did.
    assert Enterprise.objects.count() - before in (0, report.read)


@FUZZ
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".parquet", ".bin"]))
def test_random_bytes_are_refused_or_imported_cleanly(tmp_path, fuzz_world, content, suffix):
    path = tmp_path / f"raw-{next(COUNT)}{suffix}"
    path.write_bytes(content)
    check_clean("products", path, VALID_ROWS, Product.objects.count())


@FUZZ
@given(content=st.binary(max_size=1500), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]),
       target=st.sampled_from(["kobo:registration", "kobo:outcome", "sales:mercadolibre", "sales:shopify", "sales:amazon"]))
def test_kobo_and_sales_imports_refuse_garbage_cleanly(tmp_path, fuzz_world, content, suffix, target):
    from aldea.interop.kobo import import_kobo
    from aldea.interop.sales import import_sales

    path = tmp_path / f"other-{next(COUNT)}{suffix}"
    path.write_bytes(content)
    before = (Enterprise.objects.count(), OutcomeRecord.objects.count())
    kind, name = target.split(":")
    report = import_kobo(name, path) if kind == "kobo" else import_sales(name, path)
    if report.file_error or not report.committed:
        assert (Enterprise.objects.count(), OutcomeRecord.objects.count()) == before
