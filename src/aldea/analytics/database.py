"""Reading the platform's own database from the analytics, without Django.

:func:`open_database` gives an Ibis backend on a database URL (``sqlite:///path.db``,
``postgresql://user@host:port/name``) or on a DB-API connection that is already open
(``sqlite3.Connection``, ``psycopg.Connection``), so that queries run *in* that database
and only their results come back. A caller that already holds a connection (the platform,
inside a transaction) passes it, and the analytics read the same snapshot it sees.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import unquote, urlparse

import ibis

__all__ = ["DatabaseError", "open_database"]


class DatabaseError(ValueError):
    """A database that the analytics cannot open."""


class BorrowedConnection:
    """A DB-API connection lent by its owner: everything passes through except ending the
    transaction. Ibis commits after reading a schema on SQLite and rolls back after a failed
    query on PostgreSQL; on a borrowed connection either would end (or, inside a savepoint,
    break) the owner's transaction, which only the owner may end."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass


def open_database(source):
    """An Ibis backend on ``source``: a URL, or an open sqlite3/psycopg connection that the
    caller keeps (its transaction is left to the caller: see :class:`BorrowedConnection`)."""
    if isinstance(source, sqlite3.Connection):
        con = ibis.sqlite.from_connection(BorrowedConnection(source))
        # Ibis turns on case-sensitive LIKE for its own semantics; the connection belongs to
        # the caller, whose queries expect SQLite's default, so it is put back.
        source.execute("PRAGMA case_sensitive_like = OFF")
        return con
    module = type(source).__module__
    if module.startswith("psycopg"):
        return ibis.postgres.from_connection(BorrowedConnection(source))
    if not isinstance(source, str):
        raise DatabaseError(f"cannot open {type(source).__name__} as a database")
    url = urlparse(source)
    if url.scheme == "sqlite":
        # sqlite:///relative.db has the path "/relative.db", sqlite:////abs.db "//abs.db".
        path = unquote(url.path)[1:]
        return ibis.sqlite.connect(path or ":memory:")
    if url.scheme in ("postgres", "postgresql", "pgsql"):
        return ibis.connect("postgres" + source[len(url.scheme):])
    raise DatabaseError(f"unsupported database URL {source!r}: use sqlite:/// or postgresql://")
