"""Fixtures for the analytics tests: no Django, one DuckDB per test, one Spark session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
try:
    import aldea.analytics  # noqa: F401
except ImportError:  # the package is not installed yet: use the source tree
    sys.path.insert(0, str(REPO / "src"))

# Helpers shared by the test modules (pytest runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def duck():
    from aldea.analytics import connect

    return connect("duckdb")


@pytest.fixture(scope="session")
def spark_con():
    """One local Spark session for the whole run (starting one costs seconds)."""
    pytest.importorskip("pyspark")
    from aldea.analytics import connect

    con = connect("local[2]", conf={"spark.sql.shuffle.partitions": "2", "spark.ui.showConsoleProgress": "false"})
    con._session.sparkContext.setLogLevel("ERROR")
    yield con
    con._session.stop()


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request):
    """Each engine in turn: one test body runs on DuckDB and on Spark (local mode)."""
    if request.param == "duckdb":
        from aldea.analytics import connect

        return connect("duckdb")
    return request.getfixturevalue("spark_con")


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
