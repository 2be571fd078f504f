"""Bad panels get a message naming the column and the reason; the command keeps its contract."""

from __future__ import annotations

import json

import ibis
import numpy as np
import pandas as pd
import pytest
from impact_builders import long_frame, staggered

from aldea.analytics.cli import main_impact
from aldea.analytics.impact import (
    ImpactInputError,
    estimate_impact,
    load_panel,
    msme_month_panel,
)

COLUMNS = {"unit": "msme", "time": "period", "cohort": "first_treated", "outcome": "sales"}


def good_frame(**kw) -> pd.DataFrame:
    y, cohort, village, _ = staggered(2, villages=24, per_village=5, periods=6,
                                      cohorts=kw.pop("cohorts", (0, 3, 5)), **kw)
    return long_frame(y, cohort, village)


def run(frame, duck, **kw):
    return estimate_impact(ibis.memtable(frame), con=duck, **{**COLUMNS, **kw})


def error(frame, duck, **kw) -> ImpactInputError:
    with pytest.raises(ImpactInputError) as info:
        run(frame, duck, **kw)
    return info.value


def test_a_unit_with_two_cohorts_is_named(duck):
    frame = good_frame()
    frame.loc[(frame.msme == "E00003") & (frame.period == 6), "first_treated"] = 4
    e = error(frame, duck)
    assert e.column == "first_treated"
    assert "'E00003'" in e.reason and "two cohorts" in e.reason


def test_no_never_treated_units_needs_the_not_yet_treated(duck):
    frame = good_frame(cohorts=(3, 5))
    e = error(frame, duck)
    assert e.column == "first_treated" and "no never-treated units" in e.reason
    assert "--control not-yet" in e.reason
    assert run(frame, duck, control="not-yet").to_dict()["att_gt"]


def test_one_cohort_and_nobody_else_has_no_not_yet_treated_units(duck):
    e = error(good_frame(cohorts=(4,)), duck, control="not-yet")
    assert e.column == "first_treated" and "no not-yet-treated units" in e.reason


def test_a_cohort_treated_in_the_first_period_is_refused(duck):
    frame = good_frame()
    frame.loc[frame.msme == "E00000", "first_treated"] = 1
    e = error(frame, duck)
    assert e.column == "first_treated" and "treated in the first period" in e.reason
    frame.loc[frame.msme == "E00000", "first_treated"] = 2
    assert "anticipation" in error(frame, duck, anticipation=1).reason


def test_too_few_clusters_are_refused(duck):
    frame = good_frame()
    frame["district"] = frame.village.str[:3]  # V00..V02: 3 clusters
    e = error(frame, duck, cluster="district")
    assert e.column == "district" and "only 3 cluster(s)" in e.reason
    assert run(frame, duck, cluster="village").n_clusters == 24


def test_all_treated_units_in_one_cluster_are_refused(duck):
    frame = good_frame()
    frame["zone"] = np.where(frame.first_treated > 0, "T", frame.village)
    e = error(frame, duck, cluster="zone", min_clusters=2)
    assert e.column == "zone" and "all treated units are in one cluster" in e.reason


def test_a_unit_in_two_clusters_is_named(duck):
    frame = good_frame()
    frame.loc[(frame.msme == "E00007") & (frame.period == 2), "village"] = "V999"
    e = error(frame, duck, cluster="village")
    assert e.column == "village" and "'E00007'" in e.reason


def test_two_rows_for_one_period_are_named(duck):
    frame = good_frame()
    frame = pd.concat([frame, frame[(frame.msme == "E00010") & (frame.period == 3)]])
    e = error(frame, duck)
    assert e.column == "period" and "'E00010' has 2 rows for period 3" in e.reason


def test_a_repeat_that_hides_a_missing_period_is_found(duck):
    frame = good_frame()
    rows = (frame.msme == "E00011") & (frame.period == 4)
    frame.loc[rows, "period"] = 3  # as many rows as periods, but period 3 twice
    e = error(frame, duck)
    assert e.column == "period" and "'E00011' has 2 rows for period 3" in e.reason


def test_missing_columns_and_unparsable_values_are_named(duck):
    frame = good_frame()
    assert "no column(s) 'revenue'" in error(frame, duck, outcome="revenue").reason
    text = frame.astype({"sales": str})
    text.loc[5, "sales"] = "n/a"
    e = error(text, duck)
    assert e.column == "sales" and "not a number" in e.reason
    periods = frame.astype({"period": str})
    periods.loc[3, "period"] = "spring"
    e = error(periods, duck)
    assert e.column == "period" and "'spring'" in e.reason


def test_incomplete_units_are_left_out_and_counted(duck):
    frame = good_frame()
    frame.loc[(frame.msme == "E00001") & (frame.period == 2), "sales"] = np.nan
    frame = frame[~((frame.msme == "E00002") & (frame.period == 5))]
    r = run(frame, duck).to_dict()
    assert r["n_units"] == 120 - 2
    assert r["dropped"] == {"rows_missing_values": 1, "units_unbalanced": 2}
    assert any("not observed in all 6 periods" in n for n in r["notes"])


def test_months_as_text_and_empty_cohorts_read_as_the_same_panel(duck):
    y, cohort, village, _ = staggered(6, villages=20, per_village=4, periods=8)
    numbers = run(long_frame(y, cohort, village), duck).to_dict()
    months = run(long_frame(y, cohort, village, months=True), duck).to_dict()
    assert [c["att"] for c in months["att_gt"]] == pytest.approx(
        [c["att"] for c in numbers["att_gt"]], abs=1e-12)
    assert months["group_effects"][0]["cohort"] == "2024-04"
    assert months["periods"] == {"first": "2024-01", "last": "2024-08", "count": 8}


def test_the_platform_panel_is_built_from_enterprises_and_outcome_records(duck):
    import datetime as dt

    enterprises = ibis.memtable(pd.DataFrame({
        "code": ["a", "b", "c", "d"],
        "treated_from": [dt.date(2024, 3, 15), dt.date(2024, 3, 2), None, None],
        "village": ["v1", "v1", "v2", "v3"],
    }))
    months = [dt.date(2024, m, 1) for m in (1, 2, 3, 4)]
    outcomes = ibis.memtable(pd.DataFrame({
        "enterprise": np.repeat(["a", "b", "c", "d"], 4),
        "month": months * 4,
        "online_sales": [1, 1, 5, 6, 2, 2, 4, 4, 1, 1, 1, 2, 0, 0, 0, 0],
    }))
    deflator = ibis.memtable(pd.DataFrame({"month": months, "index": [1.0, 1.0, 1.0, 2.0]}))
    panel = msme_month_panel(enterprises, outcomes, keep=["village"], deflator=deflator)
    p = load_panel(panel, unit="unit", time="month", cohort="cohort", outcome="y", con=duck)
    assert p.time_kind == "month" and p.units == ["c", "d", "a", "b"]
    assert p.label(p.cohort[-1]) == "2024-03"
    np.testing.assert_allclose(p.y[2], [1, 1, 5, 3])  # April deflated by 2
    from aldea.analytics.impact import estimate_panel

    att = {(c["cohort"], c["time"]): c["att"] for c in estimate_panel(p).to_dict()["att_gt"]}
    # March vs February: treated +4 and +2, comparison 0 and 0
    assert att[("2024-03", "2024-03")] == pytest.approx(3.0)


def test_the_command_prints_the_json_contract(tmp_path, capsys):
    path = tmp_path / "panel.csv"
    good_frame().to_csv(path, index=False)
    out = tmp_path / "impact.json"
    code = main_impact(["--input", str(path), "--unit", "msme", "--time", "period",
                        "--cohort", "first_treated", "--outcome", "sales", "--cluster",
                        "village", "--format", "json", "--out", str(out), "--quiet"])
    assert code == 0
    r = json.loads(out.read_text())
    for key in ("method", "control", "n_units", "n_clusters", "att_gt", "overall",
                "event_study", "group_effects", "pretrend"):
        assert key in r
    assert r["method"] == "callaway-santanna-2021" and r["control"] == "never"
    assert (r["n_units"], r["n_clusters"]) == (120, 24)
    assert set(r["att_gt"][0]) == {"cohort", "time", "att", "se", "ci_low", "ci_high"}
    assert set(r["overall"]) == {"simple", "dynamic", "group", "calendar"}
    assert all(set(v) == {"att", "se", "ci_low", "ci_high"} for v in r["overall"].values())
    assert set(r["event_study"][0]) == {"event_time", "att", "se", "ci_low", "ci_high"}
    assert set(r["group_effects"][0]) == {"cohort", "att", "se", "ci_low", "ci_high"}
    assert {"statistic", "p_value"} <= set(r["pretrend"])
    assert "not an impact estimate" in r["twfe"]["label"]
    again = estimate_impact(str(path), **COLUMNS, cluster="village").to_dict()
    assert r == json.loads(json.dumps(again))
    assert capsys.readouterr().out == ""


def test_the_command_table_and_level(tmp_path, capsys):
    path = tmp_path / "panel.csv"
    good_frame().to_csv(path, index=False)
    args = ["--input", str(path), "--unit", "msme", "--time", "period", "--cohort",
            "first_treated", "--outcome", "sales", "--quiet"]
    assert main_impact([*args, "--level", "0.9", "--format", "table"]) == 0
    text = capsys.readouterr().out
    assert "overall (simple)" in text and "90% CI" in text and "pre-trend test" in text
    assert main_impact([*args, "--level", "0.9"]) == 0
    r = json.loads(capsys.readouterr().out)
    s = r["overall"]["simple"]
    assert (s["ci_high"] - s["att"]) / s["se"] == pytest.approx(1.6448536, rel=1e-6)


def test_the_command_reports_bad_input_without_a_traceback(tmp_path, capsys):
    frame = good_frame()
    frame.loc[frame.msme == "E00004", "first_treated"] = [3, 3, 3, 5, 5, 5]
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    code = main_impact(["--input", str(path), "--unit", "msme", "--time", "period",
                        "--cohort", "first_treated", "--outcome", "sales", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("aldea impact: error: column 'first_treated': unit 'E00004' has two")
    assert "Traceback" not in err


def test_the_programme_form_is_parsed_and_refused_without_the_platform(capsys):
    assert main_impact(["--programme", "aldeas-2024", "--outcome", "online_sales"]) == 2
    assert "--programme" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main_impact(["--input", "x.csv", "--unit", "msme"])
    assert info.value.code == 2
    assert "--input needs --time, --cohort, --outcome" in capsys.readouterr().err
