"""Detection and inequality inputs read from the platform's own database, inside the engine.

Django-free: it knows the platform's table and column names (the data contract between the
apps and the analytics), not its models. The inputs are Ibis expressions on the database
itself, so the filters (programme, online sales > 0, municipalities of the country) and
joins run in PostgreSQL or SQLite; nothing is loaded into pandas.

- On PostgreSQL, pass the inputs to :func:`aldea.analytics.detect` with ``con`` the same
  backend: the whole detection runs in PostgreSQL.
- On SQLite (whose SQL lacks what detection needs), :func:`platform_inputs_in` brings the
  filtered, projected rows into DuckDB as Arrow, once.

Usage from the platform's task (``url`` is the database URL)::

    from aldea.analytics import detect
    from aldea.analytics.platform import platform_inputs_in

    con, inputs = platform_inputs_in(url, programme_id=None, country_code="MX")
    result = detect(inputs["sales"], inputs["localities"], inputs["sellers"],
                    profile="latam-relative", con=con)
"""

from __future__ import annotations

import ibis

from .engines import connect, connect_database

__all__ = ["equity_inputs", "platform_inputs", "platform_inputs_in"]

ENTERPRISES = "enterprises_enterprise"
OUTCOMES = "outcomes_outcomerecord"
AREAS = "territories_administrativearea"
COUNTRIES = "territories_country"
PROGRAMMES = "programmes_programme"


def platform_inputs(con, *, programme_id: int | None = None, country_code: str | None = None) -> dict:
    """Sales, sellers and localities (docs/data-contracts.md) as Ibis tables on ``con``.

    Each MSME is a seller located in its municipality; each month's online sales is one
    sale (``date`` = the month's first day); every municipality of ``country_code`` (all
    countries when ``None``) is a locality, so shop rates are relative to the nation. With
    ``country_code`` the sellers are the MSMEs of that country's programmes, so that one
    country's run does not reject another's MSMEs as of an unknown locality.
    """
    e = con.table(ENTERPRISES)
    o = con.table(OUTCOMES)
    a = con.table(AREAS)
    if programme_id is not None:
        e = e.filter(e.programme_id == programme_id)
    m = a.filter(a.level == "municipality")
    if country_code is not None:
        c = con.table(COUNTRIES).filter(lambda t: t.code == country_code)
        m = m.filter(m.country_id.isin(c.id))
        p = con.table(PROGRAMMES)
        e = e.filter(e.programme_id.isin(p.filter(p.country_id.isin(c.id)).id))
    states = a.select(_sid=a.id, parent_code=a.code)
    localities = m.left_join(states, m.parent_id == states._sid).select(
        code=m.code, name=m.name, parent_code=ibis._.parent_code,
        households=m.households.cast("float64"), population=m.population.cast("float64"),
        lat=m.latitude.cast("float64"), lon=m.longitude.cast("float64"),
    )
    codes = m.select(_mid=m.id, locality_code=m.code)
    sellers = e.left_join(codes, e.municipality_id == codes._mid).select(
        seller_id=e.code, locality_code=ibis._.locality_code, category=e.sector)
    keys = e.select(_eid=e.id, seller_id=e.code)
    sold = o.filter(o.online_sales > 0)
    sales = sold.join(keys, sold.enterprise_id == keys._eid).select(
        seller_id=ibis._.seller_id, date=sold.month.cast("date"),
        amount=sold.online_sales.cast("float64"), currency=sold.currency)
    return {"sales": sales, "sellers": sellers, "localities": localities}


def platform_inputs_in(url: str, **filters):
    """``(con, inputs)``: the engine to run detection on and the inputs on it.

    PostgreSQL: the database itself. SQLite: the filtered inputs, computed by SQLite and
    brought into a new DuckDB as Arrow tables (three queries; only the contract's columns).
    """
    db = connect_database(url)
    inputs = platform_inputs(db, **filters)
    if db.name == "postgres":
        return db, inputs
    duck = connect("duckdb")
    return duck, {k: duck.create_table(k, t.to_pyarrow(), overwrite=True) for k, t in inputs.items()}


def equity_inputs(con, *, programme_id: int) -> ibis.Table:
    """One row per MSME of a programme and month: the rows the equity figures start from.

    Columns ``enterprise_code``, ``group``, ``month``, ``online_sales``, ``municipality_code``,
    filtered in the database; the gains and their inequality are computed from it with
    :func:`aldea.analytics.inequality_summary`.
    """
    e = con.table(ENTERPRISES).filter(lambda t: t.programme_id == programme_id)
    o = con.table(OUTCOMES)
    a = con.table(AREAS).select(_aid=ibis._.id, municipality_code=ibis._.code)
    j = o.join(e, o.enterprise_id == e.id).left_join(a, e.municipality_id == a._aid)
    return j.select(enterprise_code=e.code, group=e.group, month=o.month.cast("date"),
                    online_sales=o.online_sales.cast("float64"), municipality_code=ibis._.municipality_code)
