"""Reading a database from the analytics: by URL, or on a connection the caller keeps."""

import sqlite3

import pytest

from aldea.analytics.database import DatabaseError, open_database


def test_a_sqlite_url_opens_the_file(tmp_path):
    path = tmp_path / "platform.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE outcomes (msme TEXT, sales REAL)")
        raw.executemany("INSERT INTO outcomes VALUES (?, ?)", [("a", 10.0), ("b", 30.0)])
    con = open_database(f"sqlite:///{path}")
    t = con.table("outcomes")
    assert t.sales.mean().execute() == 20.0


def test_a_borrowed_connection_keeps_its_owners_transaction(tmp_path):
    raw = sqlite3.connect(tmp_path / "platform.db")
    raw.execute("CREATE TABLE outcomes (msme TEXT, sales REAL)")
    raw.commit()
    raw.execute("INSERT INTO outcomes VALUES ('a', 10.0)")  # not committed: the owner's transaction
    con = open_database(raw)
    assert con.table("outcomes").count().execute() == 1  # reads what the transaction sees
    raw.rollback()  # Ibis committed nothing on its way: the owner can still roll back
    assert raw.execute("SELECT count(*) FROM outcomes").fetchone() == (0,)
    # and SQLite's LIKE is case-insensitive again for the owner's own queries
    assert raw.execute("SELECT 'ABC' LIKE 'abc'").fetchone() == (1,)


def test_an_unknown_database_is_refused():
    with pytest.raises(DatabaseError, match="unsupported database URL"):
        open_database("mysql://host/db")
    with pytest.raises(DatabaseError, match="cannot open int"):
        open_database(3)
