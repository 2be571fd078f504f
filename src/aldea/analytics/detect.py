"""Cluster detection: which localities are digital villages, and which parents are towns.

Everything here builds Ibis expressions; rows stay in the engine. The only values that
come back to Python are small tables: rows per day (for the window), key checks, and one
row per locality for the over-representation test (evidence.py) and spatial clusters
(spatial.py), whose results go back to the engine as a small in-memory table.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir

from ._fetch import _arrow_memtable, _fetch  # noqa: F401 (the command imports _fetch from here)
from .engines import read_table
from .localities import (
    PARENT_OUTPUT,  # noqa: F401 (re-exported)
    SPECIALITY_LQ,  # noqa: F401 (re-exported)
    localities_output,
    parents_output,
    ranked,
    with_clusters,
    with_evidence,
    with_rule,
)
from .profiles import Profile, load_profile
from .rates import load_rates
from .window import choose_window, months_before  # noqa: F401 (public since 0.1)

__all__ = [
    "LOCALITIES_COLUMNS",
    "REASONS",
    "SALES_COLUMNS",
    "SELLERS_COLUMNS",
    "DetectionResult",
    "DuplicateKeyError",
    "MissingColumnsError",
    "detect",
]

#: (required, optional) columns of each input; see docs/data-contracts.md.
SALES_COLUMNS = (
    ("seller_id", "date", "amount", "currency"),
    ("locality_code", "category", "units", "order_id", "line_id"),
)
SELLERS_COLUMNS = (("seller_id", "locality_code"), ("category",))
LOCALITIES_COLUMNS = (
    ("code", "name"),
    ("parent_code", "households", "population", "rural", "lat", "lon"),
)

#: Reject reasons, in the order they are tested (a row gets the first that applies).
REASONS = {
    "amount_missing": "amount is missing",
    "amount_not_numeric": "amount is not a number",
    "amount_not_positive": "amount is not positive",
    "date_unparsable": "date does not parse",
    "currency_no_rate": "currency has no rate",
    "unknown_seller": "seller is not in the sellers input",
    "unknown_locality": "locality is missing or not in the localities input",
    "duplicate_line": "duplicate order line (same order_id and line_id as an earlier line)",
}



LOCALITY_OUTPUT = [
    "locality_code",
    "name",
    "parent_code",
    "households",
    "population",
    "households_estimated",
    "active_shops",
    "shop_share",
    "shop_lq",
    "turnover",
    "currency",
    "turnover_cny",
    "top_category",
    "top_category_share",
    "top_category_lq",
    "speciality",
    "expected_shops",
    "shop_lq_shrunk",
    "p_value",
    "q_value",
    "scale",
    "is_hub",
    "qualifies",
    "rule",
    "score",
    "rank",
    "hotspot_z",
    "hotspot_p",
    "cluster_id",
]



class MissingColumnsError(ValueError):
    """An input lacks columns that the contract requires."""

    def __init__(self, what: str, missing: list[str]):
        self.what, self.missing = what, missing
        super().__init__(f"{what} is missing required column(s): {', '.join(missing)}")


class DuplicateKeyError(ValueError):
    """A key that must be unique (seller, locality code) repeats."""


def _check_columns(t: ir.Table, spec, what: str) -> None:
    missing = [c for c in spec[0] if c not in t.columns]
    if missing:
        raise MissingColumnsError(what, missing)


def _text(col: ir.Column) -> ir.StringValue:
    # CSV fields are trimmed (and '' made NULL) when read (engines.read_table); typed
    # sources are taken as they are, which keeps the hot path free of string work.
    return col if col.type().is_string() else col.cast("string")


def _number(col: ir.Column):
    """(value, is_missing, is_not_numeric) for an amount column of any type."""
    if col.type().is_numeric():
        v = col.cast("float64")
        return v, v.isnull(), v.isnan()
    s = _text(col)
    v = s.try_cast("float64")
    return v, s.isnull(), s.notnull() & (v.isnull() | v.isnan())


def _date(col: ir.Column):
    if col.type().is_date():
        return col
    if col.type().is_timestamp():
        return col.cast("date")
    # '2018-08-29' and '2018-08-29 19:55:21' both parse; anything else is a reject.
    return _text(col).try_cast("date")


@dataclass
class DetectionResult:
    """What :func:`detect` returns: Ibis tables plus the window and profile used.

    ``localities`` has one row per locality with at least one seller (columns in
    ``LOCALITY_OUTPUT``), ``parents`` one row per parent code, ``rejects`` one row per
    rejected input line (``line``, ``reason``, ``detail`` and the raw fields) and
    ``counts`` the number of rows per ``reason`` (``None`` for rows used). ``hubs`` are
    the localities above the profile's scale that pass its over-representation test
    (over-representation profiles only), reported apart from digital villages.
    """

    localities: ir.Table
    parents: ir.Table
    counts: ir.Table
    window_start: dt.date
    window_end: dt.date
    profile: Profile
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _rejects: Callable[[], ir.Table] | None = field(default=None, repr=False)
    _cached: list = field(default_factory=list, repr=False)

    def release(self) -> None:
        """Drop the engine tables that ``materialize`` created (before closing the engine)."""
        while self._cached:
            self._cached.pop().release()

    @property
    def hubs(self) -> ir.Table:
        """Over-represented localities above the profile's scale, strongest first."""
        loc = self.localities
        return loc.filter(loc.is_hub).order_by([ibis.desc(loc.shop_lq_shrunk), loc.locality_code])

    @functools.cached_property
    def rejects(self) -> ir.Table:
        """Rejected lines; built on first use (it is a row-level query of its own)."""
        return self._rejects()

    def summary(self) -> dict:
        """Rows read, used and rejected by reason (runs one small query)."""
        df = _fetch(self.counts)
        rejected = {r["reason"]: int(r["n"]) for r in df if r["reason"] is not None}
        used = sum(int(r["n"]) for r in df if r["reason"] is None)
        in_window = sum(int(r["n_window"] or 0) for r in df if r["reason"] is None)
        repeated = sum(int(r["n_rep"] or 0) for r in df if r["reason"] is None)
        warnings = list(self.warnings)
        if repeated:
            warnings.append(
                f"{repeated:,} used line(s) repeat every field of another line of the same order; "
                "they are kept, as several units of one product are often sent as identical "
                "lines. If the source can send a line twice, give each line its number within "
                "the order as line_id (Olist: order_item_id): a repeated (order_id, line_id) "
                "is then rejected as duplicate_line"
            )
        return {
            "read": used + sum(rejected.values()),
            "used": used,
            "used_in_window": in_window,
            "rejected": sum(rejected.values()),
            "rejected_by_reason": {k: rejected[k] for k in REASONS if k in rejected},
            "window_start_exclusive": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "profile": self.profile.name,
            "repeated_identical_lines": repeated,
            "notes": list(self.notes),
            "warnings": warnings,
        }


def detect(
    sales,
    localities,
    sellers=None,
    *,
    profile: str | Profile = "aliresearch-2019",
    window_end: dt.date | str | None = None,
    window_months: int = 12,
    rates=None,
    con=None,
    materialize: bool = False,
) -> DetectionResult:
    """Find digital villages (and towns) in ``sales``.

    ``sales``, ``localities`` and ``sellers`` are Ibis tables, pandas/Arrow tables or
    paths (CSV/Parquet by extension, or ``URL#table``); see docs/data-contracts.md.
    An *active shop* is a seller with at least one used sale in the window: the
    ``window_months`` calendar months ending at ``window_end`` (default: the last date
    of the last month holding a substantial share of a typical month's rows; see
    :mod:`aldea.analytics.window`). Amounts are converted to RMB with purchasing-power
    factors (:func:`aldea.analytics.rates.load_rates`; ``rates`` overrides them). Turnover
    is in units of the sales currency (``turnover``) and RMB (``turnover_cny``) per year
    of window: the window's sum times 12 / ``window_months``.

    With ``order_id`` and ``line_id`` a repeated (order, line) is rejected as a duplicate
    (the earliest line is kept). Without ``line_id`` no line is dropped; lines that repeat
    every field within an order are counted in ``summary()["warnings"]``.

    With ``materialize`` the per-seller aggregate and the per-locality output are
    computed once and cached in the engine, so that the localities, parents and counts
    do not each rescan the sales (the sales are read in one pass either way; see
    ``_seller_aggregate``).

    Example::

        >>> from aldea.analytics import connect, detect
        >>> result = detect("sales.parquet", "localities.csv", profile="aliresearch-2019")
        >>> result.localities.filter(lambda t: t.qualifies).to_pandas()  # doctest: +SKIP

    The criteria are AliResearch's (see docs/decisions.md and the profile files).
    """
    if con is None:
        for t in (sales, localities, sellers):
            if isinstance(t, ir.Table):
                con = t._find_backend(use_default=True)
                break
        else:
            from .engines import connect

            con = connect("duckdb")
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    sales_t = read_table(con, sales, columns=[*SALES_COLUMNS[0], *SALES_COLUMNS[1]])
    loc_t = read_table(con, localities, with_line=False,
                       columns=[*LOCALITIES_COLUMNS[0], *LOCALITIES_COLUMNS[1]])
    sel_t = (read_table(con, sellers, with_line=False,
                        columns=[*SELLERS_COLUMNS[0], *SELLERS_COLUMNS[1]])
             if sellers is not None else None)
    _check_columns(sales_t, SALES_COLUMNS, "sales")
    if "line_id" in sales_t.columns and "order_id" not in sales_t.columns:
        raise MissingColumnsError("sales (line_id numbers a line within its order)", ["order_id"])
    _check_columns(loc_t, LOCALITIES_COLUMNS, "localities")
    if sel_t is not None:
        _check_columns(sel_t, SELLERS_COLUMNS, "sellers")
    elif "locality_code" not in sales_t.columns:
        raise MissingColumnsError("sales (without a sellers input)", ["locality_code"])
    rate_map = load_rates(rates)
    notes: list[str] = []

    locs = _prepare_localities(loc_t, prof)
    sel = _prepare_sellers(sel_t) if sel_t is not None else None
    _check_unique([(locs, "_lcode", "localities", "code")]
                  + ([(sel, "_s_seller", "sellers", "seller_id")] if sel is not None else []))

    if isinstance(window_end, str):
        window_end = dt.date.fromisoformat(window_end)
    if window_months < 1:
        raise ValueError(f"window_months must be at least 1, got {window_months}")
    # Rows per valid date: one scan of one column, a few hundred rows back.
    day = _date(sales_t.date)
    daily = sales_t.select(_day=day).filter(lambda t: t._day.notnull())
    daily = daily.group_by("_day").aggregate(n=daily.count())
    window = choose_window([{"date": r["_day"], "n": r["n"]} for r in _fetch(daily)],
                           window_end, window_months)
    window_start, window_end = window.start, window.end
    notes.extend(window.notes)
    notes.append(f"window: ({window_start.isoformat()}, {window_end.isoformat()}], "
                 f"{window_months} months; turnover is per year of window")

    seller_agg = _seller_aggregate(sales_t, sel, locs, rate_map, window_start, window_end)
    cached = []
    if materialize:
        seller_agg = seller_agg.cache()
        cached.append(seller_agg)

    counts = seller_agg.select("reason", "n", "n_window", "n_rep")
    if {"order_id", "line_id"} <= set(sales_t.columns):
        repeats = seller_agg.filter(seller_agg.n_dup > 0)
        counts = counts.union(repeats.select(
            reason=ibis.coalesce(repeats.reason, "duplicate_line"),
            n=repeats.n_dup,
            n_window=ibis.literal(0, "int64"),
            n_rep=ibis.literal(0, "int64"),
        ))
    counts = counts.group_by("reason").aggregate(
        n=counts.n.sum(), n_window=counts.n_window.sum(), n_rep=counts.n_rep.sum())
    used = seller_agg.filter(seller_agg.reason.isnull())
    out = localities_output(used, locs, prof, window_months)
    has_points = {"lat", "lon"} <= set(loc_t.columns)
    if prof.method == "over-representation":
        if materialize:
            out = out.cache()
            cached.append(out)
        out = with_evidence(out, locs, prof, has_points)
    else:
        out = with_rule(out, prof)
        if prof.cluster_distance_km and has_points:
            out = with_clusters(out, locs, prof)
    out = ranked(out).select(*LOCALITY_OUTPUT)
    if materialize:
        out = out.cache()
        cached.append(out)
    parents = parents_output(out, prof)

    def rejects() -> ir.Table:
        return _rejects_output(_annotate(sales_t, sel, locs, rate_map), sales_t)

    if any(c.metric == "shop_share" for b in prof.village for c in b.conditions) or any(
        c.metric == "shop_lq" for b in prof.village for c in b.conditions
    ):
        notes.append(
            "where households are missing they are estimated as population / "
            f"{prof.household_size} (households_estimated = true)"
        )
    return DetectionResult(out, parents, counts, window_start, window_end, prof, notes,
                           window.warnings, rejects, cached)


def _prepare_localities(loc: ir.Table, prof: Profile) -> ir.Table:
    def num(name):
        if name not in loc.columns:
            return ibis.null("float64")
        return _number(loc[name])[0]

    hh_raw = num("households")
    pop = num("population")
    hh_known = hh_raw.notnull() & (hh_raw > 0)
    return loc.select(
        _lcode=_text(loc.code),
        _lname=loc.name.cast("string"),
        _parent=_text(loc.parent_code) if "parent_code" in loc.columns else ibis.null("string"),
        _hh_raw=hh_raw,
        _pop=pop,
        _hh=ibis.ifelse(hh_known, hh_raw, pop / prof.household_size),
        _hh_est=~hh_known & pop.notnull(),
        _lat=num("lat"),
        _lon=num("lon"),
        _rural=_flag(loc.rural) if "rural" in loc.columns else ibis.null("boolean"),
        _l_known=ibis.literal(True),
    )


def _flag(col: ir.Column):
    """A yes/no column of any type: true/false, 1/0, yes/no, sí/no, sim/não (any case)."""
    if col.type().is_boolean():
        return col
    if col.type().is_numeric():
        return ibis.ifelse(col.isnull(), ibis.null("boolean"), col != 0)
    s = _text(col).lower()
    return ibis.cases(
        (s.isin(["true", "t", "1", "yes", "y", "si", "sí", "sim"]), True),
        (s.isin(["false", "f", "0", "no", "n", "não", "nao"]), False),
        else_=ibis.null("boolean"),
    )


def _prepare_sellers(sel: ir.Table) -> ir.Table:
    return sel.select(
        _s_seller=_text(sel.seller_id),
        _s_loc=_text(sel.locality_code),
        _s_cat=_text(sel.category) if "category" in sel.columns else ibis.null("string"),
        _s_known=ibis.literal(True),
    )


def _check_unique(checks) -> None:
    """Raise DuplicateKeyError if a key repeats; all checks run as one query."""
    parts = []
    for i, (t, key, _, _) in enumerate(checks):
        dup = t.group_by(_key=t[key]).aggregate(n=t.count()).filter(lambda x: x.n > 1).limit(5)
        parts.append(dup.select(_key=dup._key.cast("string"), _check=ibis.literal(i)))
    q = parts[0]
    for part in parts[1:]:
        q = q.union(part)
    rows = _fetch(q)
    for i, (_, _, what, column) in enumerate(checks):
        codes = sorted(r["_key"] for r in rows if r["_check"] == i)
        if codes:
            raise DuplicateKeyError(
                f"{what}: {column} must be unique; repeated: {', '.join(map(repr, codes))}"
            )


#: Row-level reject codes (the first four reasons); 0 means the row's own fields are fine.
_ROW_CODES = {1: "amount_missing", 2: "amount_not_numeric", 3: "amount_not_positive", 4: "date_unparsable"}


def _row_code(sales: ir.Table):
    """(amount, date, code) of each sales row: the first row-level reason that applies."""
    amount, a_missing, a_bad = _number(sales.amount)
    date = _date(sales.date)
    code = ibis.cases(
        (a_missing, 1), (a_bad, 2), (amount <= 0, 3), (date.isnull(), 4), else_=0
    ).cast("int8")
    return amount, date, code


def _resolve(x: ir.Table, sel, locs: ir.Table, rate_map: dict) -> ir.Table:
    """Join the factor, the seller's locality and category and the locality check.

    ``x`` has ``_seller``, ``_cur``, ``_sale_loc``, ``_sale_cat`` and ``_code``; the result
    adds ``_factor``, ``_loc``, ``_cat`` and ``_reason``. The same joins serve the
    per-seller aggregate (a few rows per seller) and the row-level reject listing.
    """
    # The rate table is small: a CASE on the currency code instead of a join (and no
    # in-memory table to ship to the engine).
    factor = ibis.cases(
        *[(x._cur == cur, ibis.literal(float(v), "float64")) for cur, v in rate_map.items()],
        else_=ibis.null("float64"),
    ) if rate_map else ibis.null("float64")
    x = x.mutate(_factor=factor)
    if sel is not None:
        x = x.left_join(sel, x._seller == sel._s_seller)
        loc_expr = ibis.coalesce(x._sale_loc, x._s_loc)
        cat_expr = ibis.coalesce(x._sale_cat, x._s_cat)
        seller_unknown = x._s_known.isnull()
    else:
        loc_expr, cat_expr, seller_unknown = x._sale_loc, x._sale_cat, ibis.literal(False)
    x = x.mutate(_loc=loc_expr, _cat=cat_expr, _seller_unknown=seller_unknown)
    lk = locs.select("_lcode", "_l_known")
    x = x.left_join(lk, x._loc == lk._lcode)
    reason = ibis.cases(
        *[(x._code == k, v) for k, v in _ROW_CODES.items()],
        (x._factor.isnull(), "currency_no_rate"),
        (x._seller_unknown, "unknown_seller"),
        (x._l_known.isnull(), "unknown_locality"),
        (x._code == 5, "duplicate_line"),
        else_=ibis.null("string"),
    )
    return x.mutate(_reason=reason)


def _keys(t: ir.Table, names) -> dict:
    return {c: t[c] for c in names if c in t.columns}


def _seller_aggregate(sales: ir.Table, sel, locs: ir.Table, rate_map: dict,
                      window_start: dt.date, window_end: dt.date) -> ir.Table:
    """One pass over the sales: rows and window sums per seller, currency and row code.

    Sales are grouped on their raw fields first (seller, currency and, when present,
    locality and category) plus the row-level reject code; the joins that decide the
    other reasons (currency without a rate, unknown seller or locality) then run on a
    few rows per seller instead of on every sale.

    With ``order_id`` and ``line_id``, a first grouping on the pair keeps the fields of
    the earliest line of each (``arg_min`` by line number) and counts ``_n - 1`` repeats.
    With ``order_id`` alone a first grouping on all contract fields finds lines that
    repeat every field: they are all used (weight ``_n``) and counted in ``n_rep``.
    """
    raw = [c for c in (*SALES_COLUMNS[0], *SALES_COLUMNS[1]) if c in sales.columns]
    dup = rep = None
    if "line_id" in raw:
        # The line number is free from DuckDB's Parquet reader; elsewhere it is a row
        # number in read order (docs/decisions.md A6).
        keyed = sales.select(*raw, "_line", _lone=_lone(sales))
        others = [c for c in raw if c not in ("order_id", "line_id")]
        lines = keyed.group_by("order_id", "line_id", "_lone").aggregate(
            _n=keyed.count(), **{c: keyed[c].argmin(keyed._line) for c in others})
        dup, weight = lines._n - 1, None
    elif "order_id" in raw:
        # Only the contract columns: Parquet columns not named are never read.
        plain = sales.select(*raw)
        lines = plain.group_by(_keys(plain, raw)).aggregate(_n=plain.count())
        rep, weight = lines._n - 1, lines._n
    else:
        lines, weight = sales.select(*raw), None
    amount, date, code = _row_code(lines)
    in_window = (date > ibis.literal(window_start)) & (date <= ibis.literal(window_end))
    group = _keys(lines, ("seller_id", "currency", "locality_code", "category"))
    if weight is None:
        aggs = {"n": lines.count(), "n_window": lines.count(where=in_window),
                "amount_w": amount.sum(where=in_window)}
    else:
        aggs = {"n": weight.sum(), "n_window": weight.sum(where=in_window),
                "amount_w": (amount * weight).sum(where=in_window)}
    if dup is not None:
        aggs["n_dup"] = dup.sum()
    if rep is not None:
        aggs["n_rep"] = rep.sum()
    g = lines.group_by(_code=code, **group).aggregate(**aggs)
    g = g.mutate(
        _seller=_text(g.seller_id),
        _cur=_text(g.currency).upper(),
        _sale_loc=_text(g.locality_code) if "locality_code" in g.columns else ibis.null("string"),
        _sale_cat=_text(g.category) if "category" in g.columns else ibis.null("string"),
    )
    x = _resolve(g, sel, locs, rate_map)
    return x.select(
        reason=x._reason,
        _loc=x._loc,
        _seller=x._seller,
        _cat=x._cat,
        _cur=x._cur,
        n=x.n,
        n_window=x.n_window,
        amount_w=x.amount_w,
        cny_w=x.amount_w * x._factor,
        # Repeats of a line take the line's reason, or duplicate_line when it is used.
        n_dup=x.n_dup.cast("int64") if dup is not None else ibis.literal(0, "int64"),
        n_rep=x.n_rep.cast("int64") if rep is not None else ibis.literal(0, "int64"),
    )


def _lone(sales: ir.Table):
    """A line without an order or line number is never a repeat: its own group key."""
    missing = sales.order_id.isnull() | sales.line_id.isnull()
    return ibis.ifelse(missing, sales._line.cast("int64"), ibis.literal(0, "int64"))


def _annotate(sales: ir.Table, sel, locs: ir.Table, rate_map: dict) -> ir.Table:
    """Sales rows with the reject reason of each (for the rejects listing)."""
    _, _, code = _row_code(sales)
    base = sales.mutate(
        _code=code,
        _cur=_text(sales.currency).upper(),
        _seller=_text(sales.seller_id),
        _sale_loc=_text(sales.locality_code) if "locality_code" in sales.columns else ibis.null("string"),
        _sale_cat=_text(sales.category) if "category" in sales.columns else ibis.null("string"),
    )
    if "line_id" in sales.columns:
        # A repeated (order, line): a line sent twice. The earliest line is kept; the
        # window's ORDER BY makes which one that is deterministic.
        occurrence = ibis.row_number().over(
            group_by=[base.order_id, base.line_id, _lone(base)], order_by=base._line)
        base = base.mutate(_code=ibis.ifelse((base._code == 0) & (occurrence > 0), 5, base._code).cast("int8"))
    return _resolve(base, sel, locs, rate_map)


def _rejects_output(annotated: ir.Table, sales: ir.Table) -> ir.Table:
    r = annotated.filter(annotated._reason.notnull())
    detail = ibis.cases(*[(r._reason == k, v) for k, v in REASONS.items()], else_=r._reason)
    raw = [c for c in (*SALES_COLUMNS[0], *SALES_COLUMNS[1]) if c in sales.columns]
    return r.select(
        line=r._line.cast("int64"),
        reason=r._reason,
        detail=detail,
        **{c: r[c].cast("string") for c in raw},
    ).order_by("line")



