"""Who benefits: subgroup effects, inequality change, concentration of net gains, sentences."""

from __future__ import annotations

import ibis
import numpy as np
import pytest
from impact_builders import long_frame, staggered

from aldea.analytics import concentration_index, gini, palma, theil_t
from aldea.analytics.impact import (
    equity_sentence,
    estimate_panel,
    first_lasting_month,
    gain_concentration,
    impact_sentence,
    inequality_change,
    load_panel,
    panel_from_arrays,
    pretrend_sentence,
    subgroup_effects,
)
from aldea.analytics.impact.equity import (
    gini_weighted,
    palma_weighted,
    rank_index_weighted,
    theil_t_weighted,
)


@pytest.mark.parametrize("seed", range(5))
def test_bootstrap_kernels_equal_the_engines_measures_with_ties_and_weights(seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.lognormal(size=60), 1)  # ties
    x[:3] = 0.0
    rank = rng.integers(0, 8, size=60)
    weights = rng.integers(0, 4, size=60).astype(float)
    repeated = np.repeat(np.arange(60), weights.astype(int))  # frequency weights = repeats
    t = ibis.memtable({"x": x[repeated], "r": rank[repeated]})
    assert gini_weighted(x, weights)[0] == pytest.approx(gini(t, "x").execute(), abs=1e-12)
    assert theil_t_weighted(x, weights)[0] == pytest.approx(theil_t(t, "x").execute(), abs=1e-12)
    assert palma_weighted(x, weights)[0] == pytest.approx(palma(t, "x").execute(), abs=1e-12)
    assert rank_index_weighted(x, rank, weights)[0] == pytest.approx(
        concentration_index(t, "x", "r").execute(), abs=1e-12)


def _panel_with_sexes(effects, seed=0, villages=60):
    y, cohort, village, _ = staggered(seed, villages=villages, per_village=10, periods=8,
                                      cohorts=(0, 4, 6), effect=0.0, growth=0.0)
    sex = np.where(np.arange(len(cohort)) % 2 == 0, "female", "male")
    t = np.arange(1, 9)
    post = (cohort[:, None] > 0) & (t >= cohort[:, None])
    y = y + post * np.where(sex == "female", effects[0], effects[1])[:, None]
    return panel_from_arrays(y, cohort, cluster=village, unit_columns={"sex": sex})


def test_subgroup_effects_find_a_planted_difference_and_test_it():
    r = subgroup_effects(_panel_with_sexes((1.0, 3.0)), "sex")
    women, men = r["subgroups"]
    assert (women["value"], men["value"]) == ("female", "male")
    assert women["ci_low"] < 1.0 < women["ci_high"] and men["ci_low"] < 3.0 < men["ci_high"]
    assert r["equal_effects_test"]["df"] == 1 and r["equal_effects_test"]["p_value"] < 1e-6
    same = subgroup_effects(_panel_with_sexes((2.0, 2.0)), "sex")
    assert same["equal_effects_test"]["p_value"] > 0.01


def test_a_subgroup_is_the_estimate_on_its_own_units():
    panel = _panel_with_sexes((1.0, 2.0))
    r = subgroup_effects(panel, "sex")
    alone = estimate_panel(panel.subset(np.asarray(panel.unit_columns["sex"]) == "male"))
    assert r["subgroups"][1]["att"] == pytest.approx(alone.to_dict()["overall"]["simple"]["att"])
    assert r["subgroups"][1]["se"] == pytest.approx(alone.to_dict()["overall"]["simple"]["se"])


def test_a_subgroup_that_cannot_be_estimated_says_why():
    panel = _panel_with_sexes((1.0, 1.0))
    labels = np.asarray(panel.unit_columns["sex"], dtype=object)
    labels[np.flatnonzero(panel.cohort > 0)[:3]] = "undisclosed"  # three treated units only
    panel.unit_columns["sex"] = labels.tolist()
    r = subgroup_effects(panel, "sex")
    odd = next(s for s in r["subgroups"] if s["value"] == "undisclosed")
    assert odd["att"] is None and "never-treated" in odd["reason"]
    assert r["equal_effects_test"]["df"] == 1  # the other two are still compared


def test_unit_characteristics_are_read_from_the_panel_file(duck):
    y, cohort, village, _ = staggered(1, villages=20, per_village=4, periods=6)
    frame = long_frame(y, cohort, village)
    frame["sex"] = np.where(frame.msme.str[-1].astype(int) % 2 == 0, "f", "m")
    p = load_panel(ibis.memtable(frame), unit="msme", time="period", cohort="first_treated",
                   outcome="sales", cluster="village", unit_columns=["sex"], con=duck)
    assert p.unit_columns["sex"][:2] == ["f", "m"] or set(p.unit_columns["sex"]) == {"f", "m"}
    frame.loc[frame.index[1], "sex"] = "x"
    from aldea.analytics.impact import ImpactInputError

    with pytest.raises(ImpactInputError, match="two values"):
        load_panel(ibis.memtable(frame), unit="msme", time="period", cohort="first_treated",
                   outcome="sales", unit_columns=["sex"], con=duck)


def _proportional_programme(seed=0):
    """The programme multiplies participants' sales (gains grow with baseline sales)."""
    rng = np.random.default_rng(seed)
    villages, per = 60, 10
    village = np.repeat(np.arange(villages), per)
    cohort = rng.choice([0, 4, 6], size=villages)[village]
    level = rng.lognormal(mean=8, sigma=0.8, size=len(village))
    t = np.arange(1, 9)
    post = (cohort[:, None] > 0) & (t >= cohort[:, None])
    y = level[:, None] * (1 + 0.02 * t) * np.where(post, 1.5, 1.0)
    y = y * rng.lognormal(sigma=0.05, size=y.shape)
    return panel_from_arrays(y, cohort, cluster=village)


def test_inequality_change_nets_out_the_comparison_group():
    panel = _proportional_programme()
    r = inequality_change(panel, reps=299, seed=3)
    gini_fig = r["measures"]["gini"]
    # Multiplying everyone's sales by 1.5 leaves relative inequality unchanged.
    assert abs(gini_fig["difference"]["value"]) < 0.02
    assert gini_fig["difference"]["ci_low"] < 0 < gini_fig["difference"]["ci_high"]
    part = panel.cohort > 0
    before = panel.y[:, :3].mean(axis=1)
    assert gini_fig["participants"]["before"] == pytest.approx(
        gini(ibis.memtable({"x": before[part]}), "x").execute())
    assert r == inequality_change(panel, reps=299, seed=3)  # seeded
    assert set(r["measures"]) == {"gini", "theil_t", "palma"}


def test_inequality_rises_when_the_gains_go_to_the_top():
    panel = _proportional_programme(1)
    top = (panel.cohort > 0) & (panel.y[:, 0] > np.quantile(panel.y[:, 0], 0.7))
    t = np.arange(1, 9)
    panel.y = panel.y + (top[:, None] & (t >= panel.cohort[:, None])) * panel.y[:, :1]
    d = inequality_change(panel, reps=299)["measures"]["gini"]["difference"]
    assert d["ci_low"] > 0


def test_net_gains_average_to_the_cohort_effects():
    y, cohort, village, _ = staggered(2, villages=40, per_village=10, periods=8)
    panel = panel_from_arrays(y + 50, cohort, cluster=village)
    g = gain_concentration(panel, reps=99)
    groups = {e["cohort"]: e["att"] for e in estimate_panel(panel).to_dict()["group_effects"]}
    units = {u: i for i, u in enumerate(panel.units)}
    gains = np.array(g["gains"]["net_gain"])
    cohorts = np.array([panel.cohort[units[u]] for u in g["gains"]["unit"]])
    for c, att in groups.items():
        assert gains[cohorts == c].mean() == pytest.approx(att, abs=1e-9)


def test_gains_proportional_to_baseline_sales_are_concentrated_at_the_top():
    g = gain_concentration(_proportional_programme(2), reps=299)
    assert g["ci_low"] > 0.2
    rng = np.random.default_rng(4)
    panel = _proportional_programme(2)
    base = panel.y.copy()
    t = np.arange(1, 9)
    post = (panel.cohort[:, None] > 0) & (t >= panel.cohort[:, None])
    # the same additive gain for everybody, whatever they sold before
    panel.y = np.where(post, base / 1.5 + 2000 + rng.normal(size=base.shape), base)
    flat = gain_concentration(panel, reps=299)
    assert abs(flat["index"]) < 0.05


def test_sentences_carry_the_figures_and_use_the_translator():
    overall = {"att": 1240.4, "se": 300.0, "ci_low": 610.2, "ci_high": 1870.9, "level": 0.95}
    s = impact_sentence(overall, unit="MXN", outcome="online sales", from_month=6)
    assert s["text"] == ("Participating MSMEs' online sales were 1,240 MXN a month higher than "
                         "they would have been without the programme (95% CI 610 to 1,871), "
                         "from month 6 after the start.")
    assert s["parts"]["direction"] == "higher" and s["parts"]["att"] == 1240.4
    spanish = {
        "Participating MSMEs' %(outcome)s were %(effect)s %(unit)s a month higher than they "
        "would have been without the programme (%(level)s%% CI %(low)s to %(high)s)":
        "Las ventas en línea de las MIPYMES participantes fueron %(effect)s %(unit)s al mes "
        "más altas (IC %(level)s%% %(low)s a %(high)s)",
    }
    es = impact_sentence(overall, unit="MXN", outcome="online sales",
                         _=lambda m: spanish.get(m, m), number=lambda v: f"{v:,.0f}".replace(",", " "))
    assert es["text"].startswith("Las ventas en línea de las MIPYMES participantes fueron 1 240 MXN")
    zero = impact_sentence({"att": 5.0, "ci_low": -10.0, "ci_high": 20.0, "level": 0.9},
                           unit="MXN", outcome="total sales")
    assert "cannot tell" in zero["text"] and "90% CI" in zero["text"]
    jobs = impact_sentence({"att": 0.4, "ci_low": 0.1, "ci_high": 0.7, "level": 0.95},
                           outcome="jobs")
    assert "  " not in jobs["text"] and "0.40 a month higher" in jobs["text"]


def test_pretrend_and_equity_sentences():
    assert "moved alike" in pretrend_sentence({"statistic": 3.0, "p_value": 0.43})["text"]
    assert "caution" in pretrend_sentence({"statistic": 30.0, "p_value": 0.001})["text"]
    text = equity_sentence(
        {"index": 0.31, "ci_low": 0.22, "ci_high": 0.4},
        {"measures": {"gini": {"difference": {"value": 0.05, "ci_low": 0.01, "ci_high": 0.09}}}},
    )["text"]
    assert "already sold more (concentration index 0.31, CI 0.22 to 0.40)" in text
    assert "rose" in text and "Gini 0.05" in text


def test_first_lasting_month_is_where_the_intervals_stop_crossing_zero():
    events = [{"event_time": e, "ci_low": lo, "ci_high": hi} for e, lo, hi in (
        (-1, -1, 1), (0, -1, 2), (1, 0.5, 2), (2, -0.1, 3), (3, 0.2, 3), (4, 0.1, 2))]
    assert first_lasting_month(events) == 3


def test_the_last_event_times_resting_on_one_cohort_do_not_undo_a_lasting_effect():
    # The demo's shape: the effect is clear from e = 2 on, but the furthest event time is
    # reached by the earliest cohort alone and its interval crosses zero.
    events = [{"event_time": e, "ci_low": lo, "ci_high": hi} for e, lo, hi in (
        (-1, -1, 1), (0, -1, 2), (1, -0.5, 2), (2, 0.3, 3), (3, 0.2, 3), (4, -0.1, 9))]
    support = [{"event_time": e, "n_cohorts": n, "n_units": 10 * n}
               for e, n in ((-1, 3), (0, 3), (1, 3), (2, 3), (3, 2), (4, 1))]
    assert first_lasting_month(events) is None
    assert first_lasting_month(events, support) == 2
    # An event time pooling two cohorts still counts: its crossing zero ends the run.
    assert first_lasting_month(events, [{**s, "n_cohorts": 2} for s in support]) is None
    # With a single cohort in the whole study nothing is left out.
    assert first_lasting_month(events, [{**s, "n_cohorts": 1} for s in support]) is None
    # A run on the other side of zero starts afresh.
    flipped = [*events[:4], {"event_time": 3, "ci_low": -3, "ci_high": -1}]
    assert first_lasting_month(flipped) == 3


def test_the_json_says_how_many_cohorts_each_event_time_pools():
    y, cohort, village, _ = staggered(3, cohorts=(0, 4, 5, 7), periods=8)
    r = estimate_panel(panel_from_arrays(y, cohort, cluster=village)).to_dict()
    support = {s["event_time"]: s for s in r["event_support"]}
    assert [s["event_time"] for s in r["event_support"]] == [e["event_time"] for e in r["event_study"]]
    sizes = {c["cohort"]: c["n_units"] for c in r["cohorts"] if c["cohort"]}
    # Periods 1..8: e = 4 is reached by cohort 4 alone (8 - 4), e = 1 by all three cohorts.
    assert support[4] == {"event_time": 4, "n_cohorts": 1, "n_units": sizes[4]}
    assert support[1]["n_cohorts"] == 3 and support[1]["n_units"] == sum(sizes.values())
    assert support[-3]["n_cohorts"] == 2  # cohorts 5 and 7 (cohort 4 has no base period before 1)
