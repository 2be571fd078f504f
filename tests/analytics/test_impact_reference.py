"""The impact estimator equals the reference implementation (csdid 0.4, R did 2.5 semantics).

csdid is the Python port of the authors' R package, audited against did 2.5.0 / DRDID 1.3.0;
here it runs with analytical standard errors (``bstrap=False``) on generated staggered
panels, and every ATT(g, t), standard error, aggregation and the pre-trend statistic must
agree to 1e-6.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from impact_builders import long_frame, staggered

from aldea.analytics.impact import estimate_impact, estimate_panel, panel_from_arrays

csdid_att_gt = pytest.importorskip("csdid.att_gt", reason="csdid is a dev dependency")

TOL = 1e-6
CASES = {
    "never-treated controls": {"control": "never", "cohorts": (0, 3, 4, 6)},
    "not-yet controls": {"control": "not-yet", "cohorts": (0, 3, 4, 6)},
    "not-yet, no never-treated units": {"control": "not-yet", "cohorts": (3, 4, 6, 7)},
    "clustered on the village": {"control": "never", "cohorts": (0, 3, 5), "cluster": True},
    "not-yet, clustered": {"control": "not-yet", "cohorts": (0, 2, 4, 6), "cluster": True},
    "anticipation of one period": {"control": "never", "cohorts": (0, 4, 6), "anticipation": 1},
    "covariates (doubly robust)": {"control": "never", "cohorts": (0, 3, 5), "covariates": True},
    "covariates, not-yet": {"control": "not-yet", "cohorts": (0, 3, 5), "covariates": True},
}


def reference(frame: pd.DataFrame, *, control, cluster=False, covariates=False, anticipation=0):
    frame = frame.assign(id=frame.msme.str[1:].astype(int) + 1)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        model = csdid_att_gt.ATTgt(
            yname="sales", tname="period", idname="id", gname="first_treated", data=frame,
            control_group="nevertreated" if control == "never" else "notyettreated",
            clustervar="village" if cluster else None, anticipation=anticipation,
            xformla="sales ~ x" if covariates else None,
        ).fit(est_method="dr", bstrap=False)
        out = {"cells": pd.DataFrame({k: np.asarray(model.results[k], dtype=float)
                                      for k in ("group", "year", "att", "se")}),
               "W": model.MP["W"], "Wpval": model.MP["Wpval"]}
        for kind in ("simple", "dynamic", "group", "calendar"):
            model.aggte(typec=kind, bstrap=False)
            out[kind] = dict(model.atte)
    return out


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_estimator_equals_the_reference_implementation(case):
    spec = dict(CASES[case])
    y, cohort, village, x = staggered(
        7, villages=30, per_village=8, periods=7, cohorts=spec.pop("cohorts"),
        covariate_trend=1.0 if spec.get("covariates") else 0.0,
    )
    frame = long_frame(y, cohort, village, x)
    ref = reference(frame, **spec)
    covs = np.repeat(x[:, None, None], y.shape[1], axis=1) if spec.get("covariates") else None
    panel = panel_from_arrays(y, cohort, cluster=village if spec.get("cluster") else None,
                              covariates=covs, covariate_names=("x",) if covs is not None else ())
    ours = estimate_panel(panel, control=spec["control"],
                          anticipation=spec.get("anticipation", 0), min_clusters=2).to_dict()

    cells = pd.DataFrame(ours["att_gt"])
    assert len(cells) == len(ref["cells"])
    assert cells.cohort.tolist() == ref["cells"].group.tolist()
    assert cells.time.tolist() == ref["cells"].year.tolist()
    np.testing.assert_allclose(cells.att, ref["cells"].att, atol=TOL, rtol=0)
    np.testing.assert_allclose(cells.se, ref["cells"].se, atol=TOL, rtol=0)
    for kind in ("simple", "dynamic", "group", "calendar"):
        assert ours["overall"][kind]["att"] == pytest.approx(ref[kind]["overall_att"], abs=TOL)
        assert ours["overall"][kind]["se"] == pytest.approx(ref[kind]["overall_se"], abs=TOL)
    event = pd.DataFrame(ours["event_study"])
    np.testing.assert_array_equal(event.event_time, np.asarray(ref["dynamic"]["egt"]))
    np.testing.assert_allclose(event.att, ref["dynamic"]["att_egt"], atol=TOL, rtol=0)
    np.testing.assert_allclose(event.se, np.ravel(ref["dynamic"]["se_egt"]), atol=TOL, rtol=0)
    groups = pd.DataFrame(ours["group_effects"])
    np.testing.assert_allclose(groups.att, ref["group"]["att_egt"], atol=TOL, rtol=0)
    np.testing.assert_allclose(groups.se, np.ravel(ref["group"]["se_egt"]), atol=TOL, rtol=0)
    calendar = pd.DataFrame(ours["calendar_effects"])
    np.testing.assert_allclose(calendar.att, ref["calendar"]["att_egt"], atol=TOL, rtol=0)
    np.testing.assert_allclose(calendar.se, np.ravel(ref["calendar"]["se_egt"]), atol=TOL, rtol=0)
    assert ours["pretrend"]["statistic"] == pytest.approx(ref["W"], abs=TOL)
    assert ours["pretrend"]["p_value"] == pytest.approx(ref["Wpval"], abs=1e-5)  # did rounds it


def test_reading_the_panel_from_a_file_gives_the_reference_figures(tmp_path, duck):
    """The whole path: a CSV with months read, checked and balanced in DuckDB."""
    y, cohort, village, _x = staggered(11, villages=25, per_village=6, periods=9,
                                      cohorts=(0, 3, 6, 8))
    frame = long_frame(y, cohort, village)
    ref = reference(frame, control="never", cluster=True)
    months = long_frame(y, cohort, village, months=True)
    path = tmp_path / "panel.csv"
    months.sample(frac=1.0, random_state=3).to_csv(path, index=False)  # rows in any order
    ours = estimate_impact(str(path), unit="msme", time="period", cohort="first_treated",
                           outcome="sales", cluster="village", con=duck).to_dict()
    cells = pd.DataFrame(ours["att_gt"])
    assert cells.cohort.iloc[0] == "2024-03" and cells.time.iloc[0] == "2024-02"
    np.testing.assert_allclose(cells.att, ref["cells"].att, atol=TOL, rtol=0)
    np.testing.assert_allclose(cells.se, ref["cells"].se, atol=TOL, rtol=0)
    assert ours["overall"]["simple"]["att"] == pytest.approx(ref["simple"]["overall_att"], abs=TOL)
    assert ours["overall"]["simple"]["se"] == pytest.approx(ref["simple"]["overall_se"], abs=TOL)
    assert ours["n_units"] == len(cohort) and ours["n_clusters"] == 25
