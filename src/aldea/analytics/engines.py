"""Choosing an engine and reading inputs.

The analytics run on Ibis. DuckDB (in-process) is the default; Spark is loaded only
when asked for, so the core never imports a driver it does not use.
"""

from __future__ import annotations

import os
from pathlib import Path

import ibis

__all__ = ["EngineError", "connect", "engine_name", "read_table", "strip_text"]

#: Spark settings for a small local session; a real cluster brings its own.
_LOCAL_SPARK_CONF = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
    "spark.sql.ansi.enabled": "false",
}


class EngineError(RuntimeError):
    """An engine was named that cannot be used here."""


def connect(engine: str = "duckdb", **options):
    """Return an Ibis backend for ``engine``.

    ``engine`` is ``"duckdb"`` (in-process, default), ``"duckdb:PATH"`` (a DuckDB file),
    ``"spark"`` (Spark in local mode, using all cores of this machine) or
    ``"spark://HOST:PORT"`` (a Spark standalone cluster) or a database URL
    (``postgresql://...``: the pipeline runs in PostgreSQL). Spark needs the ``spark``
    extra (``pip install 'aldea[spark]'``).

    >>> con = connect("duckdb")
    >>> con.name
    'duckdb'
    """
    engine = (engine or "duckdb").strip()
    if engine == "duckdb" or engine.startswith("duckdb:"):
        database = engine.partition(":")[2] or ":memory:"
        threads = options.pop("threads", None) or os.environ.get("ALDEA_DUCKDB_THREADS")
        limit = options.pop("memory_limit", None) or os.environ.get("ALDEA_DUCKDB_MEMORY_LIMIT")
        temp_option = options.pop("temp_directory", None)
        con = ibis.duckdb.connect(database, **options)
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        temp = temp_option or os.environ.get("ALDEA_DUCKDB_TEMP_DIRECTORY")
        # A cap makes DuckDB spill to disk (its temp directory) instead of growing (e.g. "3GB").
        if limit:
            con.raw_sql(f"SET memory_limit = '{limit}'")
        if temp:
            con.raw_sql(f"SET temp_directory = '{temp}'")
        return con
    if engine == "spark" or engine.startswith(("spark://", "local[")):
        return _connect_spark(engine, **options)
    if engine.startswith(("postgres://", "postgresql://", "sqlite://")):
        return connect_database(engine)
    raise EngineError(
        f"unknown engine {engine!r}: use 'duckdb', 'spark', 'spark://HOST:PORT' "
        "or a database URL (postgresql://..., sqlite:///...)"
    )


def _connect_spark(engine: str, **options):
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EngineError(
            "the Spark engine needs PySpark: install the 'spark' extra "
            "(pip install 'aldea[spark]'), which brings pyspark>=3.5,<4.1; "
            "Spark 4 needs Java 17 or 21"
        ) from exc
    master = "local[*]" if engine == "spark" else engine
    builder = SparkSession.builder.appName("aldea-analytics").master(master)
    conf = dict(_LOCAL_SPARK_CONF) if master.startswith("local") else {}
    conf.update(options.pop("conf", {}) or {})
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    return ibis.pyspark.connect(session)


def engine_name(con) -> str:
    """``'duckdb'`` or ``'pyspark'``: the backend family of a connection."""
    return con.name


_CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")


def read_table(con, source, *, table: str | None = None, with_line: bool = True,
               columns=None):
    """Read ``source`` into an Ibis table on ``con``.

    ``source`` is a path ending in ``.csv`` (read as text, so that bad values can be
    reported rather than guessed) or ``.parquet``, or a database URL
    (``postgresql://.../db#table``, ``sqlite:///file.db#table``; the table may also be
    given as ``table=``), or an Ibis table already (returned as is, after adding a line
    number if it has none).

    With ``with_line`` the result has an ``_line`` column: the line of the row in a CSV
    file (the header is line 1, so the first data row is line 2), or the 1-based row
    number in a Parquet file or database table.

    A database table is read where it lives when ``con`` is that database's Ibis backend
    (the whole pipeline then runs in the database). Otherwise only ``columns`` (the
    contract's, when given) are brought into ``con`` as Arrow: the database does the
    projection, the engine the rest.
    """
    if isinstance(source, ibis.Table):
        return _add_line(source, offset=1) if with_line and "_line" not in source.columns else source
    if not isinstance(source, (str, os.PathLike)):
        import pandas as pd  # pandas/Arrow given for convenience

        if isinstance(source, pd.DataFrame) or hasattr(source, "schema"):
            return read_table(con, ibis.memtable(source), with_line=with_line)
        raise TypeError(f"cannot read {type(source).__name__} as a table")
    text = os.fspath(source)
    if "://" in text and not text.startswith("file://"):
        url, _, fragment = text.partition("#")
        name = table or fragment
        if not name:
            raise ValueError(f"name the table to read from {url!r}: append '#TABLE'")
        t = database_table(url, name, con)
        if t._find_backend() is not con:
            if columns is not None:
                t = t.select(*[c for c in t.columns if c in set(columns)])
            # A foreign database's table is brought into the engine as Arrow.
            t = ibis.memtable(t.to_pyarrow())
        return _add_line(t, offset=1) if with_line else t
    path = Path(text.removeprefix("file://"))
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    lower = path.name.lower()
    if lower.endswith(_PARQUET_SUFFIXES):
        if con.name == "duckdb":
            # file_row_number is free in DuckDB's Parquet reader; a window would
            # materialise the whole file.
            t = con.read_parquet(path, file_row_number=with_line)
            if with_line:
                t = t.rename(_line="file_row_number").mutate(_line=ibis._["_line"] + 1)
            return t
        t = con.read_parquet(path)
        return _add_line(t, offset=1) if with_line else t
    if lower.endswith(_CSV_SUFFIXES):
        if con.name == "duckdb":
            t = con.read_csv(
                path,
                all_varchar=True,
                header=True,
                delim="\t" if lower.endswith(".tsv") else ",",
            )
        else:
            t = con.read_csv(
                path, header=True, inferSchema=False, sep="\t" if lower.endswith(".tsv") else ","
            )
        t = _trim_text(t, con)
        return _add_line(t, offset=2) if with_line else t
    raise ValueError(f"cannot tell the format of {path.name}: use .csv or .parquet")


def database_url(con) -> str | None:
    """The URL a database backend was opened from (set by :func:`connect_database`)."""
    return getattr(con, "_aldea_url", None)


def connect_database(url: str):
    """An Ibis backend for a database URL (``postgresql://...``, ``sqlite:///file``).

    The pipeline then runs inside that database: its rows never leave it.
    """
    con = ibis.connect(url.replace("postgres://", "postgresql://", 1)
                       if url.startswith("postgres://") else url)
    con._aldea_url = url
    return con


def database_table(url: str, name: str, con=None):
    """Table ``name`` of the database at ``url``, on ``con`` when it is that database."""
    if con is not None and database_url(con) == url:
        return con.table(name)
    return connect_database(url).table(name)


def strip_text(col, con):
    """``col`` without leading and trailing whitespace (space, tab, newline, CR, VT, FF).

    Ibis 12.0 compiles ``strip()`` for PySpark as ``TRIM(' \\t\\n\\r\\v\\f' FROM x)``;
    Spark reads ``\\v`` and ``\\f`` in a string literal as the letters v and f, so ids such
    as ``"fvf"`` lost letters (ibis-project/ibis#11894, fixed by #11989 after 12.0). On
    PySpark a regular expression does the same job: Java's ``\\s`` is exactly that set.
    Remove once a released Ibis carries the fix.
    """
    if con.name == "pyspark":
        return col.re_replace(r"^\s+|\s+$", "")
    return col.strip()


def _trim_text(t, con):
    """Trim every text field of a CSV and read empty fields as missing."""
    cols = {}
    for name, dtype in t.schema().items():
        if dtype.is_string():
            s = strip_text(t[name], con)
            cols[name] = ibis.ifelse(s == "", ibis.null("string"), s)
    return t.mutate(**cols) if cols else t


def _add_line(t, *, offset: int):
    # Without an ORDER BY the window follows the scan order, which both engines keep for
    # a single file read in one pass (DuckDB preserves insertion order by default; Spark
    # reads one file split by split in order into a single window partition).
    return t.mutate(_line=ibis.row_number() + offset)
