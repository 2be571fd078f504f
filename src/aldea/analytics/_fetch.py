"""Small results from any engine into Python, and small Python tables into the engine."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def _fetch(t) -> list[dict]:
    """The rows of a small Ibis table (or scalar) as dicts.

    On DuckDB the result is taken as Arrow from the engine's relation rather than through
    ``to_pyarrow``/``execute``, which load Ibis's pandas converters: importing pandas
    costs more than the queries themselves on small inputs.
    """
    if not isinstance(t, ir.Table):
        t = t.name("value").as_table()
    con = ibis.get_backend(t)
    relation = getattr(con, "_to_duckdb_relation", None)  # DuckDB: Arrow straight from the engine
    if con.name == "duckdb" and relation is not None:
        return relation(t).to_arrow_table().to_pylist()
    return t.to_pyarrow().to_pylist()


def _arrow_memtable(columns: dict, types: dict) -> ir.Table:
    import pyarrow as pa

    return ibis.memtable(pa.table({k: pa.array(v, type=types[k]) for k, v in columns.items()}))
