"""The per-locality and per-parent outputs of detection: figures, rule, rank and clusters."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ._fetch import _arrow_memtable, _fetch
from .evidence import over_representation
from .profiles import Profile
from .rules import rule_columns
from .spatial import getis_ord_clusters, single_linkage_clusters

PARENT_OUTPUT = ["parent_code", "qualifying_villages", "active_shops", "turnover_cny", "qualifies", "rule"]

#: A category is the locality's speciality when its share of the locality's turnover is at
#: least this many times its share nationally (docs/decisions.md A3).
SPECIALITY_LQ = 1.5


def localities_output(used: ir.Table, locs: ir.Table, prof: Profile, window_months: int) -> ir.Table:
    active = used.n_window > 0
    per_year = 12.0 / window_months
    # Shops are counted on the distinct (locality, seller) pairs of active rows rather
    # than with COUNT(DISTINCT); the currency is single when the smallest and largest
    # currency of the active rows agree.
    pairs = used.filter(active).select("_loc", "_seller").distinct()
    shops = pairs.group_by(_sloc=pairs._loc).aggregate(active_shops=pairs.count())
    money = used.group_by(_loc=used._loc).aggregate(
        min_currency=used._cur.min(where=active),
        max_currency=used._cur.max(where=active),
        any_currency=used._cur.min(),
        turnover_local=used.amount_w.sum(),
        turnover_cny=used.cny_w.sum(),
    )
    per_loc = money.left_join(shops, money._loc == shops._sloc)
    per_loc = per_loc.select(
        "_loc", "min_currency", "max_currency", "any_currency", "turnover_local", "turnover_cny",
        active_shops=ibis.coalesce(per_loc.active_shops, 0),
    )
    # Top category by turnover in RMB within the window; ties go to the first name.
    cats = used.filter(active & used._cat.notnull())
    cat_loc = cats.group_by(_loc=cats._loc, _cat=cats._cat).aggregate(cat_cny=cats.cny_w.sum())
    cat_tot = cats.group_by(_cat=cats._cat).aggregate(cat_total=cats.cny_w.sum())
    grand = cats.aggregate(grand_total=cats.cny_w.sum())
    pos = ibis.row_number().over(
        group_by=cat_loc._loc, order_by=[ibis.desc(cat_loc.cat_cny), cat_loc._cat]
    )
    top = cat_loc.mutate(_pos=pos).filter(lambda t: t._pos == 0)
    top = top.join(cat_tot, "_cat").cross_join(grand)
    top = top.select(
        _tloc=top._loc,
        top_category=top._cat,
        _top_cny=top.cat_cny,
        _top_lq_den=top.cat_total / top.grand_total,
    )

    # Reference rate for the location quotient: all shops over all households in the
    # localities input whose households are known or estimated.
    ref_j = locs.left_join(per_loc, locs._lcode == per_loc._loc)
    ref = ref_j.filter(ref_j._hh.notnull() & (ref_j._hh > 0)).aggregate(
        _ref_shops=ref_j.active_shops.sum().cast("float64"), _ref_hh=ref_j._hh.sum()
    )

    j = per_loc.join(locs, per_loc._loc == locs._lcode)
    j = j.left_join(top, j._loc == top._tloc).cross_join(ref)
    shop_share = ibis.ifelse(j._hh > 0, j.active_shops / j._hh, ibis.null("float64"))
    ref_rate = ibis.ifelse(j._ref_hh > 0, j._ref_shops / j._ref_hh, ibis.null("float64"))
    shop_lq = ibis.ifelse(ref_rate > 0, shop_share / ref_rate, ibis.null("float64"))
    single = j.min_currency.notnull() & (j.min_currency == j.max_currency)
    mixed = j.min_currency.notnull() & (j.min_currency != j.max_currency)
    out = j.select(
        locality_code=j._loc,
        name=j._lname,
        parent_code=j._parent,
        households=j._hh,
        population=j._pop,
        households_estimated=j._hh_est,
        active_shops=j.active_shops.cast("int64"),
        shop_share=shop_share,
        shop_lq=shop_lq,
        turnover=ibis.ifelse(single, j.turnover_local * per_year, ibis.null("float64")),
        currency=ibis.cases((mixed, "MIXED"), (single, j.min_currency), else_=j.any_currency),
        turnover_cny=ibis.coalesce(j.turnover_cny * per_year, 0.0),
        top_category=j.top_category,
        top_category_share=ibis.ifelse(
            j.turnover_cny > 0, j._top_cny / j.turnover_cny, ibis.null("float64")
        ),
        top_category_lq=ibis.ifelse(
            (j.turnover_cny > 0) & (j._top_lq_den > 0),
            (j._top_cny / j.turnover_cny) / j._top_lq_den,
            ibis.null("float64"),
        ),
    )
    return out.mutate(speciality=ibis.ifelse(out.top_category_lq >= SPECIALITY_LQ,
                                             out.top_category, ibis.null("string")))


_EVIDENCE_COLUMNS = {"expected_shops": "float64", "shop_lq_shrunk": "float64", "p_value": "float64",
                     "q_value": "float64", "scale": "string", "is_hub": "boolean",
                     "hotspot_z": "float64", "hotspot_p": "float64"}


def with_rule(out: ir.Table, prof: Profile) -> ir.Table:
    """Qualification by the profile's threshold branches (the AliResearch profiles)."""
    metrics = {
        "turnover_cny": out.turnover_cny,
        "active_shops": out.active_shops,
        "shop_share": out.shop_share,
        "shop_lq": out.shop_lq,
        "households": out.households,
    }
    qualifies, rule, score = rule_columns(out, prof.village, metrics)
    empty = {k: ibis.null(v) for k, v in _EVIDENCE_COLUMNS.items()}
    return out.mutate(qualifies=qualifies, rule=rule, score=score,
                      cluster_id=ibis.null("int64"), **empty)


def ranked(out: ir.Table) -> ir.Table:
    """Rank 1 = strongest: qualifying first, then the score, turnover and code."""
    rank = ibis.row_number().over(
        order_by=[ibis.desc(out.qualifies), ibis.desc(out.score), ibis.desc(out.turnover_cny), out.locality_code]
    )
    return out.mutate(rank=(rank + 1).cast("int64"))


def with_evidence(out: ir.Table, locs: ir.Table, prof: Profile, has_points: bool) -> ir.Table:
    """Qualification by the over-representation test (evidence.py) and Gi* clusters.

    Every locality of the input is tested (those without shops count with zero), so one
    row per locality comes back to Python; the figures go back as an in-memory table.
    """
    shops = out.select(_scode=out.locality_code, _shops=out.active_shops)
    j = locs.left_join(shops, locs._lcode == shops._scode)
    pop = ibis.coalesce(j._pop, j._hh * prof.household_size)
    rows = _fetch(j.select(code=j._lcode, households=j._hh, population=pop, rural=j._rural,
                           shops=ibis.coalesce(j._shops, 0), _lat=j._lat, _lon=j._lon))
    figures = over_representation(rows, prof.evidence)
    spatial = {}
    if prof.spatial is not None and has_points:
        points = [
            {"locality_code": r["code"], "_lat": r["_lat"], "_lon": r["_lon"],
             "value": figures[r["code"]]["shop_lq_shrunk"], "qualifies": figures[r["code"]]["qualifies"]}
            for r in rows
            if r["_lat"] is not None and r["_lon"] is not None and r["code"] in figures
            and figures[r["code"]]["shop_lq_shrunk"] is not None
        ]
        sp = prof.spatial
        spatial = getis_ord_clusters(points, neighbours=sp.neighbours, permutations=sp.permutations,
                                     significance=sp.significance, min_size=sp.min_size)
    e = prof.evidence
    label = (f"over-represented shops (FDR {e.false_discovery_rate:g}), shrunken quotient >= "
             f"{e.min_shrunk_lq:g}, at least {e.min_active_shops} active shops, "
             + ("rural" if e.rural else f"population <= {e.population_ceiling:,.0f}"))
    codes = sorted(figures)
    columns = {
        "_ecode": codes,
        **{k: [figures[c][k] for c in codes] for k in
           ("expected_shops", "shop_lq_shrunk", "p_value", "q_value", "scale", "is_hub", "qualifies")},
        "hotspot_z": [spatial.get(c, {}).get("hotspot_z") for c in codes],
        "hotspot_p": [spatial.get(c, {}).get("hotspot_p") for c in codes],
        "cluster_id": [spatial.get(c, {}).get("cluster_id") for c in codes],
    }
    types = {"_ecode": "string", "qualifies": "bool", "is_hub": "bool", "scale": "string",
             "cluster_id": "int64", **{k: "float64" for k in
                                       ("expected_shops", "shop_lq_shrunk", "p_value", "q_value",
                                        "hotspot_z", "hotspot_p")}}
    m = _arrow_memtable(columns, types)
    j = out.left_join(m, out.locality_code == m._ecode)
    return j.mutate(
        qualifies=ibis.coalesce(j.qualifies, False),
        is_hub=ibis.coalesce(j.is_hub, False),
        rule=ibis.ifelse(j.qualifies, label,
                         ibis.ifelse(j.is_hub, "hub: " + label.split(", population")[0],
                                     ibis.null("string"))),
        score=j.shop_lq_shrunk,
    ).drop("_ecode")


def parents_output(out: ir.Table, prof: Profile) -> ir.Table:
    p = out.filter(out.parent_code.notnull())
    g = p.group_by("parent_code").aggregate(
        qualifying_villages=p.count(where=p.qualifies),
        active_shops=p.active_shops.sum(),
        turnover_cny=p.turnover_cny.sum(),
    )
    metrics = {
        "qualifying_villages": g.qualifying_villages,
        "active_shops": g.active_shops,
        "turnover_cny": g.turnover_cny,
    }
    qualifies, rule, _ = rule_columns(g, prof.town, metrics)
    return g.mutate(qualifies=qualifies, rule=rule).select(*PARENT_OUTPUT).order_by("parent_code")


def with_clusters(out: ir.Table, locs: ir.Table, prof: Profile) -> ir.Table:
    """Link qualifying localities within ``cluster_distance_km`` (single linkage)."""
    q = out.filter(out.qualifies).join(
        locs.select("_lcode", "_lat", "_lon"), out.locality_code == locs._lcode
    )
    q = q.filter(q._lat.notnull() & q._lon.notnull()).select("locality_code", "_lat", "_lon")
    rows = sorted(_fetch(q), key=lambda r: r["locality_code"])
    ids = single_linkage_clusters(rows, prof.cluster_distance_km, prof.cluster_min_size)
    if not ids:
        return out
    m = _arrow_memtable({"_ccode": list(ids), "_cid": [int(v) for v in ids.values()]},
                        {"_ccode": "string", "_cid": "int64"})
    j = out.left_join(m, out.locality_code == m._ccode)
    return j.mutate(cluster_id=j._cid).drop("_ccode", "_cid")
