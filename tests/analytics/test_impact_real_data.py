"""The impact estimator on real sales: Olist sellers' monthly revenue (``../shared/data``).

A placebo design on real data: the sellers' states are given launch months (staggered, some
never), and the estimator must equal the reference implementation (csdid) to 1e-6 on this
panel too, clustered on the state (the level the placebo is assigned at; 17 states, so the
20-cluster floor is lowered for this comparison): real sales are skewed, full of zero months and shared
state-level shocks, which generated panels are not. The figures are not an impact of anything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_impact_reference import TOL, reference

from aldea.analytics.impact import estimate_impact

MONTHS = pd.period_range("2017-01", "2018-08", freq="M").astype(str).tolist()
LAUNCHES = (0, 6, 0, 10, 14)  # period numbers of the placebo launches, 0 = never


@pytest.fixture(scope="module")
def olist_frame(shared_data):
    sales = pd.read_csv(shared_data / "olist_seller_monthly_sales.csv")
    sellers = pd.read_csv(shared_data / "olist_sellers_dataset.csv")
    first = sales.groupby("seller_id").month.min()
    # Sellers already selling at the start, so a month without sales is a real zero.
    early = first[first <= MONTHS[1]].index
    grid = pd.MultiIndex.from_product([sorted(early), MONTHS], names=["seller_id", "month"]).to_frame(index=False)
    frame = grid.merge(sales[["seller_id", "month", "revenue_brl"]], how="left").fillna({"revenue_brl": 0.0})
    frame = frame.merge(sellers[["seller_id", "seller_state"]], how="left")
    states = sorted(frame.seller_state.unique())
    launch = {s: LAUNCHES[i % len(LAUNCHES)] for i, s in enumerate(states)}
    ids = {s: i for i, s in enumerate(sorted(early))}
    return pd.DataFrame({
        "msme": "E" + frame.seller_id.map(ids).astype(str),
        "period": frame.month.map({m: i + 1 for i, m in enumerate(MONTHS)}),
        "first_treated": frame.seller_state.map(launch),
        "village": frame.seller_state.map({s: i for i, s in enumerate(states)}),
        "sales": frame.revenue_brl,
    })


def test_the_real_panel_has_the_shape_the_test_needs(olist_frame):
    units = olist_frame.msme.nunique()
    assert units > 150 and len(olist_frame) == units * len(MONTHS)
    assert set(olist_frame.first_treated) == {0, 6, 10, 14}
    assert olist_frame.village.nunique() >= 15 and (olist_frame.sales == 0).mean() > 0.2


@pytest.mark.parametrize("control", ["never", "not-yet"])
def test_the_estimator_equals_the_reference_on_real_olist_sales(olist_frame, tmp_path, control):
    pytest.importorskip("csdid.att_gt", reason="csdid is a dev dependency")
    path = tmp_path / "olist.csv"
    olist_frame.to_csv(path, index=False)
    ours = estimate_impact(str(path), unit="msme", time="period", cohort="first_treated", outcome="sales",
                           cluster="village", control=control, min_clusters=15).to_dict()
    ref = reference(olist_frame.assign(x=0.0), control=control, cluster=True)
    cells = pd.DataFrame(ours["att_gt"])
    assert cells.cohort.tolist() == ref["cells"].group.tolist()
    np.testing.assert_allclose(cells.att, ref["cells"].att, atol=TOL, rtol=0)
    np.testing.assert_allclose(cells.se, ref["cells"].se, atol=TOL, rtol=0)
    for kind in ("simple", "dynamic", "group", "calendar"):
        assert ours["overall"][kind]["att"] == pytest.approx(ref[kind]["overall_att"], abs=TOL)
        assert ours["overall"][kind]["se"] == pytest.approx(ref[kind]["overall_se"], abs=TOL)
    assert ours["n_clusters"] == olist_frame.village.nunique()
