"""Hand-computed 2x2 cases, invariances, the bootstrap and the TWFE figure."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from impact_builders import staggered

from aldea.analytics.impact import estimate_panel, panel_from_arrays


def cells(result):
    return {(c["cohort"], c["time"]): c for c in result.to_dict()["att_gt"]}


def test_two_by_two_is_the_difference_of_mean_changes_with_its_textbook_variance():
    # Treated A 1 -> 5 and B 2 -> 4 (changes 4, 2); comparison C 1 -> 2, D 3 -> 3 (1, 0).
    y = np.array([[1.0, 5.0], [2.0, 4.0], [1.0, 2.0], [3.0, 3.0]])
    r = estimate_panel(panel_from_arrays(y, [2, 2, 0, 0]))
    cell = cells(r)[(2, 2)]
    assert cell["att"] == pytest.approx(3.0 - 0.5)
    # sum (dY - mean)^2 / n^2 over each group: (1 + 1) / 4 + (0.25 + 0.25) / 4
    assert cell["se"] == pytest.approx(math.sqrt(0.625))
    assert cell["ci_low"] == pytest.approx(2.5 - 1.959963984540054 * math.sqrt(0.625))
    overall = r.to_dict()["overall"]
    for kind in ("simple", "dynamic", "group", "calendar"):
        assert overall[kind]["att"] == pytest.approx(2.5)
    assert r.to_dict()["twfe"]["att"] == pytest.approx(2.5)  # one cohort, two periods


def test_pre_period_cells_compare_adjacent_periods_and_post_cells_the_last_pre_period():
    # Cohort 3 (rows 0-1), never treated (rows 2-3), periods 1..4.
    y = np.array([
        [0.0, 1.0, 4.0, 6.0],
        [2.0, 2.0, 5.0, 9.0],
        [1.0, 1.0, 2.0, 3.0],
        [0.0, 2.0, 2.0, 2.0],
    ])
    c = cells(estimate_panel(panel_from_arrays(y, [3, 3, 0, 0])))
    assert set(c) == {(3, 2), (3, 3), (3, 4)}
    # (3, 2): change 1 -> 2, treated (1 + 0)/2 minus comparison (0 + 2)/2
    assert c[(3, 2)]["att"] == pytest.approx(0.5 - 1.0)
    # (3, 3) and (3, 4) use base period 2: treated changes (3, 3) and (5, 7)
    assert c[(3, 3)]["att"] == pytest.approx(3.0 - (1.0 + 0.0) / 2)
    assert c[(3, 4)]["att"] == pytest.approx(6.0 - (2.0 + 0.0) / 2)


def test_not_yet_treated_units_serve_as_controls_until_their_own_start():
    # Cohorts 2 and 3, nobody never treated: period 3 on is dropped (did's rule) and
    # cohort 3 is the comparison of cohort 2 in period 2.
    y = np.array([[1.0, 4.0, 9.0], [0.0, 5.0, 9.0], [1.0, 2.0, 9.0], [2.0, 2.0, 9.0]])
    r = estimate_panel(panel_from_arrays(y, [2, 2, 3, 3]), control="not-yet")
    c = cells(r)
    assert set(c) == {(2, 2)}
    assert c[(2, 2)]["att"] == pytest.approx(4.0 - 0.5)
    assert any("no never-treated" in n for n in r.to_dict()["notes"])


def test_anticipation_moves_the_base_period_back():
    y = np.array([[0.0, 1.0, 3.0, 7.0], [0.0, 1.0, 1.0, 1.0]])
    c = cells(estimate_panel(panel_from_arrays(y, [4, 0]), anticipation=1))
    # with one period of anticipation, period 3 is compared with period 2, as is period 4
    assert c[(4, 3)]["att"] == pytest.approx(2.0 - 0.0)
    assert c[(4, 4)]["att"] == pytest.approx(6.0 - 0.0)
    assert (4, 2) in c and c[(4, 2)]["att"] == pytest.approx(1.0 - 1.0)


def test_aggregations_follow_their_definitions():
    y, cohort, village, _ = staggered(3, villages=30, per_village=6, periods=8,
                                      cohorts=(0, 3, 5, 6))
    r = estimate_panel(panel_from_arrays(y, cohort, cluster=village)).to_dict()
    events = [e["att"] for e in r["event_study"] if e["event_time"] >= 0]
    assert r["overall"]["dynamic"]["att"] == pytest.approx(np.mean(events))
    sizes = {c["cohort"]: c["n_units"] for c in r["cohorts"] if c["cohort"]}
    groups = r["group_effects"]
    weighted = sum(g["att"] * sizes[g["cohort"]] for g in groups) / sum(sizes[g["cohort"]]
                                                                        for g in groups)
    assert r["overall"]["group"]["att"] == pytest.approx(weighted)
    assert r["overall"]["calendar"]["att"] == pytest.approx(
        np.mean([t["att"] for t in r["calendar_effects"]]))
    post = [c for c in r["att_gt"] if c["time"] >= c["cohort"]]
    w = np.array([sizes[c["cohort"]] for c in post], dtype=float)
    assert r["overall"]["simple"]["att"] == pytest.approx(
        float(w @ [c["att"] for c in post]) / w.sum())


panels = st.builds(
    lambda seed, n, periods, late: _random_panel(seed, n, periods, late),
    st.integers(0, 10_000), st.integers(6, 24), st.integers(3, 6), st.booleans(),
)


def _random_panel(seed, n, periods, late):
    rng = np.random.default_rng(seed)
    choices = [0, 2, periods] if late else [0, 2, 3]
    cohort = rng.choice(choices, size=n)
    cohort[:2] = [0, 2]  # at least one never-treated and one treated unit
    y = rng.normal(size=(n, periods)) * 100 + rng.normal(size=(n, 1)) * 50
    return y, cohort


def _figures(result):
    d = result.to_dict()
    rows = [(c["cohort"], c["time"], c["att"], c["se"]) for c in d["att_gt"]]
    overall = [(d["overall"][k]["att"], d["overall"][k]["se"]) for k in d["overall"]]
    return rows, overall, d["pretrend"]["statistic"]


def _close(a, b):
    rows_a, over_a, w_a = a
    rows_b, over_b, w_b = b
    assert [r[:2] for r in rows_a] == [r[:2] for r in rows_b]
    np.testing.assert_allclose(np.array([r[2:] for r in rows_a], dtype=float),
                               np.array([r[2:] for r in rows_b], dtype=float),
                               rtol=1e-9, atol=1e-8)
    np.testing.assert_allclose(np.array(over_a, dtype=float), np.array(over_b, dtype=float),
                               rtol=1e-9, atol=1e-8)
    if w_a is None or w_b is None:
        assert w_a is None and w_b is None
    else:
        assert w_a == pytest.approx(w_b, rel=1e-6, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(panels, st.randoms(use_true_random=False))
def test_estimates_do_not_depend_on_the_order_of_the_units(panel, rnd):
    y, cohort = panel
    order = list(range(len(cohort)))
    rnd.shuffle(order)
    a = estimate_panel(panel_from_arrays(y, cohort))
    b = estimate_panel(panel_from_arrays(y[order], cohort[order]))
    _close(_figures(a), _figures(b))


@settings(max_examples=40, deadline=None)
@given(panels, st.floats(-1e4, 1e4, allow_nan=False))
def test_adding_a_constant_to_the_outcome_changes_nothing(panel, shift):
    y, cohort = panel
    _close(_figures(estimate_panel(panel_from_arrays(y, cohort))),
           _figures(estimate_panel(panel_from_arrays(y + shift, cohort))))


@settings(max_examples=25, deadline=None)
@given(panels)
def test_unit_and_period_effects_cancel_out(panel):
    """Parallel trends by construction: unit levels and common shocks leave every cell as is."""
    y, cohort = panel
    rng = np.random.default_rng(len(cohort))
    moved = y + rng.normal(size=(len(cohort), 1)) * 1e3 + rng.normal(size=(1, y.shape[1])) * 1e3
    _close(_figures(estimate_panel(panel_from_arrays(y, cohort))),
           _figures(estimate_panel(panel_from_arrays(moved, cohort))))


def test_bootstrap_is_seeded_and_agrees_with_the_influence_function():
    y, cohort, village, _ = staggered(5, villages=60, per_village=10, periods=8)
    panel = panel_from_arrays(y, cohort, cluster=village)
    a = estimate_panel(panel, bootstrap=999, seed=1).to_dict()
    b = estimate_panel(panel, bootstrap=999, seed=1).to_dict()
    c = estimate_panel(panel, bootstrap=999, seed=2).to_dict()
    analytic = estimate_panel(panel).to_dict()
    assert a["overall"] == b["overall"]
    assert a["overall"]["simple"]["se"] != c["overall"]["simple"]["se"]
    for kind in ("simple", "dynamic", "group", "calendar"):
        assert a["overall"][kind]["att"] == analytic["overall"][kind]["att"]
        assert a["overall"][kind]["se"] == pytest.approx(analytic["overall"][kind]["se"], rel=0.15)
    se_boot = np.array([x["se"] for x in a["att_gt"]])
    se_if = np.array([x["se"] for x in analytic["att_gt"]])
    assert np.median(np.abs(se_boot / se_if - 1)) < 0.1
    assert "bootstrap" in a["standard_errors"] and "seed 1" in a["standard_errors"]


def test_unit_level_bootstrap_agrees_with_the_influence_function():
    y, cohort, _, _ = staggered(8, villages=50, per_village=20, periods=6, village_shock=0.0)
    panel = panel_from_arrays(y, cohort)
    boot = estimate_panel(panel, bootstrap=999).to_dict()["overall"]["simple"]["se"]
    assert boot == pytest.approx(estimate_panel(panel).to_dict()["overall"]["simple"]["se"],
                                 rel=0.1)


def test_twfe_equals_panel_ols_with_unit_and_period_effects_and_clustered_errors():
    linearmodels = pytest.importorskip("linearmodels", reason="linearmodels is a dev dependency")
    import pandas as pd

    y, cohort, village, _ = staggered(9, villages=30, per_village=5, periods=7)
    r = estimate_panel(panel_from_arrays(y, cohort, cluster=village)).to_dict()["twfe"]
    n, t = y.shape
    periods = np.arange(1, t + 1)
    frame = pd.DataFrame({
        "unit": np.repeat(np.arange(n), t), "t": np.tile(periods, n), "y": y.ravel(),
        "d": ((cohort[:, None] > 0) & (periods >= cohort[:, None])).ravel().astype(float),
        "village": np.repeat(village, t),
    }).set_index(["unit", "t"])
    # G/(G-1) (N-1)/(N-K) with the effects not counted: Stata's xtreg, fe vce(cluster).
    fit = linearmodels.PanelOLS(frame.y, frame[["d"]], entity_effects=True,
                                time_effects=True).fit(
        cov_type="clustered", clusters=frame.village, group_debias=True,
        auto_df=False, count_effects=False, debiased=True)
    assert r["att"] == pytest.approx(fit.params["d"], rel=1e-9)
    assert r["se"] == pytest.approx(fit.std_errors["d"], rel=1e-6)
    assert "not an impact estimate" in r["label"]


def test_twfe_differs_from_the_att_when_effects_grow_with_exposure():
    """The reason TWFE is only shown beside the estimate: it is biased here, CS is not."""
    y, cohort, village, _ = staggered(4, villages=80, per_village=10, periods=10,
                                      cohorts=(0, 3, 5, 8), effect=1.0, growth=1.0,
                                      village_shock=0.0, noise=0.3)
    r = estimate_panel(panel_from_arrays(y, cohort, cluster=village)).to_dict()
    # True simple ATT: mean over post cells of 1 + (t - g), weighted by cohort size.
    truth = []
    for g, t in ((c["cohort"], c["time"]) for c in r["att_gt"] if c["time"] >= c["cohort"]):
        truth.append((1.0 + (t - g), sum(cohort == g)))
    simple = sum(v * w for v, w in truth) / sum(w for _, w in truth)
    assert r["overall"]["simple"]["ci_low"] < simple < r["overall"]["simple"]["ci_high"]
    assert abs(r["twfe"]["att"] - simple) > 5 * r["overall"]["simple"]["se"]


def test_the_event_study_pretrend_fallback_leaves_out_the_anticipation_months():
    # Two villages a cohort make the cells' covariance singular, so the pre-trend test falls back
    # to the event-study estimates. MSMEs react a month before the launch: with one month of
    # anticipation that month is part of the effect, not evidence of a pre-trend.
    rng = np.random.default_rng(4)
    village_cohort = np.array([0, 0, 0, 0, 6, 6, 8, 8])
    village = np.repeat(np.arange(8), 10)
    cohort = village_cohort[village]
    t = np.arange(1, 10)
    y = rng.normal(size=(80, 9)) + 0.3 * rng.normal(size=(8, 9))[village]
    y += np.where((cohort[:, None] > 0) & (t >= cohort[:, None] - 1), 5.0, 0.0)
    tests = {k: estimate_panel(panel_from_arrays(y, cohort, cluster=village), anticipation=k,
                               min_clusters=2).to_dict()["pretrend"] for k in (0, 1)}
    assert tests[0]["test"] == tests[1]["test"] == "event_study"
    assert (tests[0]["df"], tests[1]["df"]) == (6, 5)  # e = -6..-1, then e = -6..-2
    assert tests[1]["statistic"] < tests[0]["statistic"] / 50  # the reaction at e = -1 is left out
