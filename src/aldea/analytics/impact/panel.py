"""The impact panel: one row per unit (MSME) and period, checked and built in the engine.

:func:`load_panel` reads a panel (a file or an Ibis table), parses and checks it with Ibis
queries (the rows stay in the engine until they are clean), keeps the balanced part and
returns a :class:`Panel`: the outcome as a units x periods matrix sorted by cohort, with
the cohort, cluster and covariates of every unit. :func:`msme_month_panel` builds such a
panel from the platform's tables of enterprises and outcome records.

Periods are whole numbers (``2004``, ``7``) or months (``2024-03``, ``2024-03-01``, a date);
the cohort column holds the first treated period on the same scale, and 0 or empty for a
unit that is never treated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import numpy as np

from ..engines import read_table

__all__ = [
    "ImpactInputError",
    "Panel",
    "load_panel",
    "month_label",
    "msme_month_panel",
    "panel_from_arrays",
]


class ImpactInputError(ValueError):
    """The panel cannot be estimated on: names the column and the reason."""

    def __init__(self, column: str | None, reason: str):
        self.column = column
        self.reason = reason
        super().__init__(f"column {column!r}: {reason}" if column else reason)


@dataclass
class Panel:
    """A balanced panel ready for estimation; rows sorted by cohort, then unit."""

    y: np.ndarray  # (units, periods) float64
    cohort: np.ndarray  # (units,) int64 first treated period, 0 = never treated
    periods: np.ndarray  # (periods,) int64 sorted period values
    units: list  # unit identifiers, in row order
    time_kind: str  # "integer" or "month"
    cluster: np.ndarray | None = None  # (units,) int64 codes, None = the unit
    cluster_labels: list | None = None
    covariates: np.ndarray | None = None  # (units, periods, k) float64
    covariate_names: tuple[str, ...] = ()
    unit_columns: dict = field(default_factory=dict)  # name -> one value per unit (row order)
    columns: dict = field(default_factory=dict)  # role -> input column name
    dropped: dict = field(default_factory=dict)  # what was left out, with counts
    notes: list[str] = field(default_factory=list)

    @property
    def n_units(self) -> int:
        return int(self.y.shape[0])

    def label(self, period: int):
        """A period value in the input's own terms (an int, or ``YYYY-MM`` for months)."""
        return month_label(period) if self.time_kind == "month" else int(period)

    def subset(self, rows: np.ndarray) -> Panel:
        """The same panel restricted to the units at ``rows`` (a boolean mask or indices).

        Cluster codes are kept as they are, so that estimates on two subsets share one
        cluster space (their covariance is computed from it).
        """
        idx = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        return Panel(
            y=self.y[idx], cohort=self.cohort[idx], periods=self.periods,
            units=[self.units[i] for i in idx], time_kind=self.time_kind,
            cluster=None if self.cluster is None else self.cluster[idx],
            cluster_labels=self.cluster_labels,
            covariates=None if self.covariates is None else self.covariates[idx],
            covariate_names=self.covariate_names,
            unit_columns={k: [v[i] for i in idx] for k, v in self.unit_columns.items()},
            columns=dict(self.columns),
            dropped=dict(self.dropped), notes=list(self.notes),
        )


def panel_from_arrays(
    y: np.ndarray,
    cohort: np.ndarray,
    periods: Sequence[int] | None = None,
    *,
    cluster: np.ndarray | None = None,
    covariates: np.ndarray | None = None,
    covariate_names: Sequence[str] = (),
    units: Sequence | None = None,
    unit_columns: dict | None = None,
    time_kind: str = "integer",
) -> Panel:
    """A :class:`Panel` from arrays already in memory (simulations, tests, benchmarks).

    ``y`` is units x periods, ``cohort`` the first treated period of each unit (0 = never);
    rows are put in cohort order here (stable, so the given order breaks ties).
    """
    y = np.asarray(y, dtype=np.float64)
    cohort = np.asarray(cohort, dtype=np.int64)
    if y.ndim != 2 or cohort.shape != (y.shape[0],):
        raise ValueError("y must be units x periods and cohort one value per unit")
    periods = np.arange(1, y.shape[1] + 1) if periods is None else np.asarray(periods, np.int64)
    order = np.argsort(cohort, kind="stable")
    units = list(range(y.shape[0])) if units is None else list(units)
    cluster_labels = None
    if cluster is not None:
        labels, cluster = np.unique(np.asarray(cluster), return_inverse=True)
        cluster_labels, cluster = labels.tolist(), cluster[order]
    return Panel(
        y=np.ascontiguousarray(y[order]), cohort=cohort[order], periods=periods,
        units=[units[i] for i in order], time_kind=time_kind, cluster=cluster,
        cluster_labels=cluster_labels,
        covariates=None if covariates is None else np.asarray(covariates, np.float64)[order],
        covariate_names=tuple(covariate_names),
        unit_columns={k: [list(v)[i] for i in order] for k, v in (unit_columns or {}).items()},
    )


def month_label(index: int) -> str:
    """``YYYY-MM`` of a month index (``year * 12 + month - 1``)."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


# -- parsing periods -------------------------------------------------------------------------


def _as_month_index(col: ir.Value) -> ir.IntegerValue:
    """Month index of a date, timestamp or ``YYYY-MM[-DD]`` text; null when it does not parse."""
    dtype = col.type()
    if dtype.is_date() or dtype.is_timestamp():
        d = col
    else:
        s = col.cast("string").strip()
        d = ibis.ifelse(s.length() == 7, s.concat("-01"), s.substr(0, 10)).try_cast("date")
    return (d.year() * 12 + d.month() - 1).cast("int64")


def _as_whole(col: ir.Value) -> ir.IntegerValue:
    """A whole number (int column, or text/float holding one); null otherwise."""
    dtype = col.type()
    if dtype.is_integer():
        return col.cast("int64")
    x = col.cast("float64") if dtype.is_numeric() else col.cast("string").strip().try_cast("float64")
    return ibis.ifelse(x.notnull() & (x == x.round()), x.cast("int64"), ibis.null("int64"))


def _time_kind(t: ir.Table, time: str) -> str:
    dtype = t[time].type()
    if dtype.is_date() or dtype.is_timestamp():
        return "month"
    if dtype.is_numeric():
        return "integer"
    s = t[time].cast("string").strip()
    present = s.notnull() & (s != "")
    counts = _one(t.aggregate(
        n=t.count(where=present),
        whole=t.count(where=present & _as_whole(t[time]).notnull()),
        month=t.count(where=present & _as_month_index(t[time]).notnull()),
    ))
    if counts["n"] and counts["whole"] == counts["n"]:
        return "integer"
    if counts["n"] and counts["month"] == counts["n"]:
        return "month"
    example = _one(t.filter(present & _as_whole(t[time]).isnull()
                            & _as_month_index(t[time]).isnull()).select(v=s).limit(1))
    value = example["v"] if example else None
    raise ImpactInputError(
        time, f"periods must be whole numbers or months (YYYY-MM or a date); found {value!r}"
    )


def _period(col: ir.Value, kind: str) -> ir.IntegerValue:
    return _as_month_index(col) if kind == "month" else _as_whole(col)


def _cohort(col: ir.Value, kind: str) -> tuple[ir.IntegerValue, ir.BooleanValue]:
    """(first treated period or 0, whether the value failed to parse)."""
    s = col.cast("string").strip()
    never = col.isnull() | (s == "") | (s == "0") | (s == "0.0")
    if col.type().is_numeric():
        never = col.isnull() | (col == 0)
    parsed = _period(col, kind)
    value = ibis.ifelse(never, ibis.literal(0, "int64"), parsed)
    return value, ~never & parsed.isnull()


def _one(t) -> dict | None:
    rows = _fetch(t)
    return rows[0] if rows else None


def _fetch(t) -> list[dict]:
    if not isinstance(t, ir.Table):
        t = t.name("value").as_table()
    con = ibis.get_backend(t)
    relation = getattr(con, "_to_duckdb_relation", None)
    if con.name == "duckdb" and relation is not None:
        return relation(t).to_arrow_table().to_pylist()
    return t.to_pyarrow().to_pylist()


def _arrow(t):
    con = ibis.get_backend(t)
    relation = getattr(con, "_to_duckdb_relation", None)
    if con.name == "duckdb" and relation is not None:
        return relation(t).to_arrow_table()
    return t.to_pyarrow()


def _fmt_period(value: int, kind: str):
    return month_label(value) if kind == "month" else value


# -- the panel -------------------------------------------------------------------------------


def load_panel(
    source,
    *,
    unit: str,
    time: str,
    cohort: str,
    outcome: str,
    cluster: str | None = None,
    covariates: Sequence[str] = (),
    unit_columns: Sequence[str] = (),
    con=None,
) -> Panel:
    """Read, check and balance a panel; see the module docstring for the columns.

    ``unit_columns`` are characteristics of the unit (sex of the owner, age band, ...) kept
    as one value per unit in ``Panel.unit_columns``; each must be the same on all of a
    unit's rows.

    Raises :class:`ImpactInputError` naming the column and the reason for: a missing
    column, a period, cohort or outcome that does not parse, a unit with two cohorts or
    two clusters, a unit with two rows for one period. Rows with a missing outcome or
    covariate are left out, and then units not observed in every period (as the R
    package ``did`` does for panels); both are counted in ``Panel.dropped``.
    """
    if con is None:
        from ..engines import connect

        con = connect("duckdb") if not isinstance(source, ir.Table) else ibis.get_backend(source)
    t = read_table(con, source, with_line=False)
    covariates, unit_columns = tuple(covariates), tuple(unit_columns)
    wanted = [c for c in (unit, time, cohort, outcome, cluster, *covariates, *unit_columns) if c]
    missing = [c for c in dict.fromkeys(wanted) if c not in t.columns]
    if missing:
        raise ImpactInputError(
            missing[0], f"the panel has no column(s) {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(t.columns)}"
        )
    kind = _time_kind(t, time)
    cohort_value, cohort_bad = _cohort(t[cohort], kind)

    def number(name):
        col = t[name]
        if col.type().is_numeric():
            return col.cast("float64"), ibis.literal(False)
        s = col.cast("string").strip()
        x = s.try_cast("float64")
        return x, s.notnull() & (s != "") & x.isnull()

    y, y_bad = number(outcome)
    cov_cols, cov_bad = {}, {}
    for i, name in enumerate(covariates):
        cov_cols[f"_x{i}"], cov_bad[name] = number(name)
    unit_col = t[unit].cast("string")
    if t[unit].type().is_string():
        unit_col = unit_col.strip()
    period = _period(t[time], kind)
    parsed = t.select(
        _unit=unit_col,
        _period=period,
        _period_bad=t[time].notnull() & period.isnull(),
        _cohort=cohort_value,
        _cohort_bad=cohort_bad,
        _y=y,
        _y_bad=y_bad,
        _cluster=t[cluster].cast("string") if cluster else ibis.literal(None, "string"),
        **{f"_xbad{i}": bad for i, bad in enumerate(cov_bad.values())},
        **cov_cols,
        **{f"_u{i}": t[name].cast("string") for i, name in enumerate(unit_columns)},
    )
    parsed = parsed.cache()
    try:
        return _build(parsed, kind=kind, unit=unit, time=time, cohort=cohort, outcome=outcome,
                      cluster=cluster, covariates=covariates, unit_columns=unit_columns)
    finally:
        parsed.release()


def _build(p: ir.Table, *, kind, unit, time, cohort, outcome, cluster, covariates,
           unit_columns=()) -> Panel:
    k = len(covariates)
    complete = p._y.notnull() & ~p._y.isnan()
    for i in range(k):
        complete &= p[f"_x{i}"].notnull() & ~p[f"_x{i}"].isnan()
    checks = _one(p.aggregate(
        rows=p.count(),
        no_unit=p.count(where=p._unit.isnull() | (p._unit == "")),
        no_period=p.count(where=p._period.isnull() & ~p._period_bad),
        period_bad=p.count(where=p._period_bad),
        cohort_bad=p.count(where=p._cohort_bad),
        y_bad=p.count(where=p._y_bad),
        incomplete=p.count(where=~complete),
        **{f"xbad{i}": p.count(where=p[f"_xbad{i}"]) for i in range(k)},
    ))
    if not checks["rows"]:
        raise ImpactInputError(None, "the panel has no rows")
    if checks["no_unit"]:
        raise ImpactInputError(unit, f"{checks['no_unit']} row(s) have no unit")
    if checks["no_period"]:
        raise ImpactInputError(time, f"{checks['no_period']} row(s) have no period")
    for col, key, flag, what in (
        (time, "period_bad", "_period_bad", "a period that does not parse"),
        (cohort, "cohort_bad", "_cohort_bad", "a cohort that is not a period, 0 or empty"),
        (outcome, "y_bad", "_y_bad", "an outcome that is not a number"),
        *((name, f"xbad{i}", f"_xbad{i}", "a covariate that is not a number")
          for i, name in enumerate(covariates)),
    ):
        if checks[key]:
            ex = _one(p.filter(p[flag]).select("_unit").limit(1))
            raise ImpactInputError(
                col, f"{checks[key]} row(s) have {what} (first for unit {ex['_unit']!r})"
            )

    per_unit = p.group_by("_unit").aggregate(
        n=p.count(where=complete),
        cmin=p._cohort.min(), cmax=p._cohort.max(),
        kmin=p._cluster.min(), kmax=p._cluster.max(),
        kmissing=p.count(where=p._cluster.isnull()),
        **{f"_u{i}min": p[f"_u{i}"].min() for i in range(len(unit_columns))},
        **{f"_u{i}max": p[f"_u{i}"].max() for i in range(len(unit_columns))},
    ).cache()  # one row per unit, read by every check below
    try:
        for i, name in enumerate(unit_columns):
            bad = _one(per_unit.filter(per_unit[f"_u{i}min"] != per_unit[f"_u{i}max"])
                       .order_by("_unit").limit(1))
            if bad:
                raise ImpactInputError(
                    name, f"unit {bad['_unit']!r} has two values ({bad[f'_u{i}min']!r} and "
                    f"{bad[f'_u{i}max']!r}); a characteristic of the unit must not change"
                )
        panel = _from_units(p, per_unit, complete, kind=kind, unit=unit, time=time,
                            cohort=cohort, outcome=outcome, cluster=cluster,
                            covariates=covariates, incomplete=int(checks["incomplete"]),
                            unit_columns=unit_columns)
        return panel
    finally:
        per_unit.release()


def _from_units(p, per_unit, complete, *, kind, unit, time, cohort, outcome, cluster,
                covariates, incomplete, unit_columns=()) -> Panel:
    k = len(covariates)
    two = _one(per_unit.filter(per_unit.cmin != per_unit.cmax).order_by("_unit").limit(1))
    if two:
        raise ImpactInputError(
            cohort, f"unit {two['_unit']!r} has two cohorts ({_fmt_period(two['cmin'], kind)} and "
            f"{_fmt_period(two['cmax'], kind)}); the cohort is the unit's first treated period "
            "and must be the same on all its rows"
        )
    if cluster:
        bad = _one(per_unit.filter((per_unit.kmin != per_unit.kmax) | (per_unit.kmissing > 0))
                   .order_by("_unit").limit(1))
        if bad:
            reason = ("has no cluster on some rows" if bad["kmissing"]
                      else f"is in two clusters ({bad['kmin']!r} and {bad['kmax']!r})")
            raise ImpactInputError(
                cluster, f"unit {bad['_unit']!r} {reason}; a unit must stay in one cluster"
            )
    periods = np.array(sorted(
        r["_period"] for r in _fetch(p.filter(complete).select("_period").distinct())
    ), dtype=np.int64)
    if len(periods) < 2:
        raise ImpactInputError(time, "the panel needs at least two periods with outcomes")
    n_periods = len(periods)
    # A unit with more rows than periods repeats one; one with exactly as many but a repeat
    # also misses a period, which the count of positions below finds.
    over = _one(per_unit.filter(per_unit.n > n_periods).order_by("_unit").limit(1))
    if over:
        _duplicate(p.filter(complete & (p._unit == over["_unit"])), time, kind)
    kept = per_unit.filter(per_unit.n == n_periods)
    # Units are numbered in cohort order, and each row goes to its place in the
    # units x periods matrix in Python: no sort of the rows in the engine.
    kept = kept.select("_unit", _cohort=kept.cmin, _cluster=kept.kmin,
                       _code=ibis.row_number().over(order_by=[kept.cmin, kept._unit]),
                       **{f"_u{i}": kept[f"_u{i}min"] for i in range(len(unit_columns))})
    units_arrow = _arrow(kept.order_by("_code"))
    n = units_arrow.num_rows
    n_units = _one(per_unit.aggregate(units=per_unit.count()))["units"]
    if n == 0:
        raise ImpactInputError(
            time, f"no unit is observed with an outcome in all {n_periods} periods"
        )
    x_cols = [f"_x{i}" for i in range(k)]
    rows = p.filter(complete).join(kept.select("_unit", "_code"), "_unit")
    arrow = _arrow(rows.select("_code", "_period", "_y", *x_cols))
    pos = (arrow.column("_code").to_numpy().astype(np.int64) * n_periods
           + np.searchsorted(periods, arrow.column("_period").to_numpy()))
    filled = np.bincount(pos, minlength=n * n_periods)
    if (filled != 1).any():
        bad_unit = units_arrow.column("_unit")[int(np.flatnonzero(filled != 1)[0]) // n_periods]
        _duplicate(p.filter(complete & (p._unit == bad_unit.as_py())), time, kind)
    y = np.empty(n * n_periods)
    y[pos] = arrow.column("_y").to_numpy()
    y = y.reshape(n, n_periods)
    counts = {"units": n_units, "balanced": n}
    cov = None
    if k:
        cov = np.empty((n * n_periods, k))
        for i, c in enumerate(x_cols):
            cov[pos, i] = arrow.column(c).to_numpy()
        cov = cov.reshape(n, n_periods, k)
    cluster_codes = cluster_labels = None
    if cluster:
        cluster_labels, cluster_codes = np.unique(
            np.asarray(units_arrow.column("_cluster").to_pylist(), dtype=object).astype(str),
            return_inverse=True,
        )
        cluster_labels = cluster_labels.tolist()
    panel = Panel(
        y=y,
        cohort=units_arrow.column("_cohort").to_numpy().astype(np.int64),
        periods=periods,
        units=units_arrow.column("_unit").to_pylist(),
        time_kind=kind,
        cluster=cluster_codes,
        cluster_labels=cluster_labels,
        covariates=cov,
        covariate_names=covariates,
        unit_columns={name: units_arrow.column(f"_u{i}").to_pylist()
                      for i, name in enumerate(unit_columns)},
        columns={"unit": unit, "time": time, "cohort": cohort, "outcome": outcome,
                 "cluster": cluster},
        dropped={
            "rows_missing_values": incomplete,
            "units_unbalanced": int(counts["units"] - counts["balanced"]),
        },
    )
    if panel.dropped["rows_missing_values"]:
        panel.notes.append(
            f"{panel.dropped['rows_missing_values']} row(s) with a missing outcome or covariate "
            "were left out"
        )
    if panel.dropped["units_unbalanced"]:
        panel.notes.append(
            f"{panel.dropped['units_unbalanced']} unit(s) not observed in all {n_periods} "
            "periods were left out (balanced panel)"
        )
    return panel


def _duplicate(rows: ir.Table, time: str, kind: str) -> None:
    dup = _one(rows.group_by(["_unit", "_period"]).aggregate(n=rows.count())
               .filter(ibis._.n > 1).order_by("_period").limit(1))
    raise ImpactInputError(
        time, f"unit {dup['_unit']!r} has {dup['n']} rows for period "
        f"{_fmt_period(dup['_period'], kind)}; the panel needs one row per unit and period"
    )


def msme_month_panel(
    enterprises: ir.Table,
    outcomes: ir.Table,
    *,
    outcome: str = "online_sales",
    enterprise_key: str = "code",
    outcome_key: str = "enterprise",
    month: str = "month",
    treated_from: str = "treated_from",
    keep: Sequence[str] = (),
    deflator: ir.Table | None = None,
) -> ir.Table:
    """One row per MSME and month, built in the engine from the platform's tables.

    ``enterprises`` has one row per MSME: its key, the first treated day (``treated_from``:
    the village launch or the enrolment, chosen by the caller; null for the comparison group)
    and any columns named in ``keep`` (village, sex of owner, ...). ``outcomes`` has one row
    per MSME and month (``outcome_key`` refers to ``enterprise_key``). ``deflator``, when
    given, has ``month`` and ``index`` (1.0 in the base month): outcomes are divided by it.

    Returns columns ``unit``, ``month`` (a date, first of the month), ``cohort`` (the month
    treatment starts, null when never treated), ``y`` and the ``keep`` columns: the input of
    :func:`load_panel` with ``unit="unit", time="month", cohort="cohort", outcome="y"``.

    Example::

        >>> e = ibis.memtable({"code": ["a", "b"], "treated_from": [dt.date(2024, 3, 9), None],
        ...                    "village": ["v1", "v2"]})
        >>> o = ibis.memtable({"enterprise": ["a", "b"], "month": [dt.date(2024, 1, 1)] * 2,
        ...                    "online_sales": [10.0, 20.0]})
        >>> msme_month_panel(e, o, keep=["village"]).columns
        ('unit', 'month', 'cohort', 'y', 'village')
    """
    e = enterprises.select(
        _key=enterprises[enterprise_key].cast("string"),
        cohort=enterprises[treated_from].cast("date").truncate("M"),
        **{name: enterprises[name] for name in keep},
    )
    o = outcomes.select(
        _key=outcomes[outcome_key].cast("string"),
        month=outcomes[month].cast("date").truncate("M"),
        y=outcomes[outcome].cast("float64"),
    )
    if deflator is not None:
        d = deflator.select(_m=deflator["month"].cast("date").truncate("M"),
                            _index=deflator["index"].cast("float64"))
        o = o.left_join(d, o.month == d._m).select(
            "_key", "month", y=ibis._.y / ibis._._index
        )
    j = o.join(e, "_key")
    return j.select(unit=j._key, month=j.month, cohort=j.cohort, y=j.y,
                    **{name: j[name] for name in keep})
