"""The platform's inputs built in its database (SQLite, PostgreSQL), not in pandas."""

from __future__ import annotations

import os
import sqlite3

import pandas as pd
import pytest

from aldea.analytics import detect
from aldea.analytics.platform import equity_inputs, platform_inputs, platform_inputs_in

# The columns of the platform's tables that the analytics read (Django creates the real ones).
DDL = [
    "CREATE TABLE territories_country (id INTEGER PRIMARY KEY, code VARCHAR(2), name VARCHAR(100), currency VARCHAR(3))",
    "CREATE TABLE programmes_programme (id INTEGER PRIMARY KEY, country_id INTEGER)",
    ("CREATE TABLE territories_administrativearea (id INTEGER PRIMARY KEY, country_id INTEGER, level VARCHAR(20),"
     " parent_id INTEGER, code VARCHAR(12), name VARCHAR(150), population INTEGER, households INTEGER,"
     " latitude NUMERIC(9, 6), longitude NUMERIC(9, 6))"),
    ('CREATE TABLE enterprises_enterprise (id INTEGER PRIMARY KEY, code VARCHAR(40), programme_id INTEGER,'
     ' municipality_id INTEGER, sector VARCHAR(14), "group" VARCHAR(20))'),
    ("CREATE TABLE outcomes_outcomerecord (id INTEGER PRIMARY KEY, enterprise_id INTEGER, month DATE,"
     " currency VARCHAR(3), online_sales NUMERIC(14, 2))"),
]


def _rows():
    areas = [(1, 1, "state", None, "20", "Oaxaca", 4_000_000, None, None, None),
             (2, 1, "municipality", 1, "20546", "Teotitlán del Valle", 6392, 1700, 17.03, -96.52),
             (3, 1, "municipality", 1, "20067", "Oaxaca de Juárez", 270_000, 75_000, 17.06, -96.72),
             (4, 2, "municipality", None, "3519600", "Ibitinga", 59_371, None, None, None)]
    enterprises, outcomes = [], []
    for i in range(30):
        town = 2 if i < 20 else 3
        enterprises.append((i + 1, f"MSME-{i:03d}", 1 if i < 25 else 2, town, "textiles" if i < 20 else "food",
                            "participant"))
        for month in range(1, 13):
            outcomes.append((len(outcomes) + 1, i + 1, f"2024-{month:02d}-01", "MXN", 0 if month == 3 else 1000 + i))
    return ([(1, "MX", "México", "MXN"), (2, "BR", "Brasil", "BRL")], areas, enterprises, outcomes)


# Programmes 1 and 2 are Mexican; programme 3 (Brazilian) has no MSMEs.
PROGRAMMES = [(1, 1), (2, 1), (3, 2)]


def _fill(execute, placeholder):
    countries, areas, enterprises, outcomes = _rows()
    for table, rows in (("territories_country", countries), ("programmes_programme", PROGRAMMES),
                        ("territories_administrativearea", areas),
                        ("enterprises_enterprise", enterprises), ("outcomes_outcomerecord", outcomes)):
        marks = ",".join([placeholder] * len(rows[0]))
        for row in rows:
            execute(f"INSERT INTO {table} VALUES ({marks})", row)


@pytest.fixture
def sqlite_url(tmp_path):
    path = tmp_path / "platform.sqlite3"
    with sqlite3.connect(path) as db:
        for statement in DDL:
            db.execute(statement)
        _fill(db.execute, "?")
    return f"sqlite:///{path}"


def _expected_frames():
    _, areas, enterprises, outcomes = _rows()
    code = {a[0]: a[4] for a in areas}
    sales = pd.DataFrame([(f"MSME-{o[1] - 1:03d}", pd.Timestamp(o[2]), float(o[4]), o[3]) for o in outcomes if o[4] > 0],
                         columns=["seller_id", "date", "amount", "currency"])
    sellers = pd.DataFrame([(e[1], code[e[3]], e[4]) for e in enterprises], columns=["seller_id", "locality_code", "category"])
    locs = pd.DataFrame([(a[4], a[5], "20", float(a[7] or "nan"), float(a[6])) for a in areas if a[2] == "municipality" and a[1] == 1],
                        columns=["code", "name", "parent_code", "households", "population"])
    return sales, sellers, locs


def test_sqlite_inputs_are_filtered_in_sqlite_and_give_the_pandas_answer(sqlite_url, duck):
    con, inputs = platform_inputs_in(sqlite_url, country_code="MX")
    assert con.name == "duckdb"
    assert inputs["sales"].count().execute() == 30 * 11  # the month without online sales is left out
    assert sorted(inputs["localities"].code.execute()) == ["20067", "20546"]
    got = detect(inputs["sales"], inputs["localities"], inputs["sellers"], profile="latam-relative", con=con)
    sales, sellers, locs = _expected_frames()
    want = detect(sales, locs, sellers, profile="latam-relative", con=duck)
    cols = ["locality_code", "active_shops", "turnover", "shop_lq", "shop_lq_shrunk", "q_value", "qualifies", "rank"]
    a = got.localities.to_pandas()[cols].sort_values("locality_code").reset_index(drop=True)
    b = want.localities.to_pandas()[cols].sort_values("locality_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_programme_filter_is_pushed_down_into_the_query(sqlite_url):
    from aldea.analytics.engines import connect_database

    db = connect_database(sqlite_url)
    inputs = platform_inputs(db, programme_id=2)
    sql = str(__import__("ibis").to_sql(inputs["sales"], dialect="sqlite"))
    assert "programme_id" in sql and "online_sales" in sql  # the filters are in SQLite's query
    assert inputs["sellers"].count().execute() == 5
    assert inputs["sales"].count().execute() == 5 * 11
    rows = equity_inputs(db, programme_id=2).execute()
    assert len(rows) == 5 * 12 and set(rows.municipality_code) == {"20067"}


def test_a_countrys_inputs_hold_only_the_msmes_of_its_programmes(sqlite_url):
    from aldea.analytics.engines import connect_database

    db = connect_database(sqlite_url)
    brazil = platform_inputs(db, country_code="BR")
    assert brazil["sellers"].count().execute() == 0 and brazil["sales"].count().execute() == 0
    assert brazil["localities"].code.execute().tolist() == ["3519600"]
    mexico = platform_inputs(db, country_code="MX")
    assert mexico["sellers"].count().execute() == 30


# The platform's PostgreSQL when it is the configured database, else the server's maintenance
# database; the test works in a schema of its own and drops it.
_URL = os.environ.get("ALDEA_DATABASE_URL", "")
POSTGRES = (_URL.replace("postgres://", "postgresql://", 1) if _URL.startswith("postgres")
            else "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def postgres_url():
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(POSTGRES, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL at {POSTGRES}")
    schema = f"aldea_analytics_test_{os.getpid()}"
    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    conn.execute(f"CREATE SCHEMA {schema}")
    conn.execute(f"SET search_path TO {schema}")
    for statement in DDL:
        conn.execute(statement)
    _fill(conn.execute, "%s")
    yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    conn.execute(f"DROP SCHEMA {schema} CASCADE")
    conn.close()


def test_postgresql_inputs_run_the_whole_detection_in_postgresql(postgres_url, duck):
    con, inputs = platform_inputs_in(postgres_url, country_code="MX")
    assert con.name == "postgres"
    got = detect(inputs["sales"], inputs["localities"], inputs["sellers"], profile="latam-relative", con=con)
    sales, sellers, locs = _expected_frames()
    want = detect(sales, locs, sellers, profile="latam-relative", con=duck)
    cols = ["locality_code", "active_shops", "turnover", "shop_lq_shrunk", "q_value", "qualifies", "rank"]
    a = got.localities.to_pandas()[cols].sort_values("locality_code").reset_index(drop=True)
    b = want.localities.to_pandas()[cols].sort_values("locality_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert got.summary()["used"] == want.summary()["used"] == 330
    pd.testing.assert_frame_equal(got.parents.to_pandas(), want.parents.to_pandas(), check_dtype=False)


def test_the_command_runs_in_postgresql_when_every_input_is_one_of_its_tables(postgres_url, tmp_path, capsys):
    import psycopg

    from aldea.analytics.cli import _engine_of, main_detect

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE cli_sales (seller_id TEXT, date DATE, amount DOUBLE PRECISION, currency TEXT)")
        conn.execute("CREATE TABLE cli_sellers (seller_id TEXT, locality_code TEXT)")
        conn.execute("CREATE TABLE cli_localities (code TEXT, name TEXT, households DOUBLE PRECISION)")
        for i in range(100):
            conn.execute("INSERT INTO cli_sales VALUES (%s, '2024-05-01', 100000, 'CNY')", (f"s{i}",))
            conn.execute("INSERT INTO cli_sellers VALUES (%s, 'v1')", (f"s{i}",))
        conn.execute("INSERT INTO cli_sales VALUES ('s1', '2024-05-02', -3, 'CNY')")
        conn.execute("INSERT INTO cli_localities VALUES ('v1', 'Uno', 900)")
    sources = [f"{postgres_url}#cli_{t}" for t in ("sales", "localities", "sellers")]
    assert _engine_of(*sources) == postgres_url
    assert _engine_of(sources[0], "localities.csv", None) == "duckdb"
    out = tmp_path / "out.csv"
    code = main_detect(["--sales", sources[0], "--localities", sources[1], "--sellers", sources[2],
                        "--profile", "aliresearch-2014", "--out", str(out), "--rejects", str(tmp_path / "r.csv")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "connecting to postgresql://" in captured.err
    assert "read 101 rows, used 100" in captured.out and "rejected amount_not_positive: 1" in captured.out
    assert pd.read_csv(out).qualifies.tolist() == [True]
