"""The platform's estimate on the demo recovers the effect the demo planted; the funder report
prints the command's figures in each language; the demo's IATI file carries its money.

The demo at its default shape (8 villages x 50 participants, 200 comparison MSMEs), written
once for the module in a transaction rolled back afterwards.
"""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from lxml import etree

from aldea.demo.generator import generate_demo
from aldea.demo.planted import planted_effect
from aldea.demo.services import demo_programme
from aldea.interop.iati import build_activity_file
from aldea.reporting.impact.words import digits_for, impact_words, money
from aldea.workspace.report.content import REPORT_LANGUAGES, collect
from aldea.workspace.report.pdf import render_pdf

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).parents[1] / "interop" / "iati-2.03" / "iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            generate_demo(seed=2026, scale=600)
            yield demo_programme()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def impact_json(programme, *args) -> dict:
    out = StringIO()
    call_command("impact", "--programme", programme.slug, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def online(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return impact_json(demo)


@pytest.mark.parametrize("outcome", ["online_sales", "total_sales", "jobs"])
def test_the_estimate_recovers_the_planted_effect_within_its_interval(demo, online, outcome):
    result = online if outcome == "online_sales" else impact_json(demo, "--outcome", outcome)
    planted = planted_effect(demo, outcome)
    simple = result["overall"]["simple"]
    assert simple["ci_low"] < planted["simple"] < simple["ci_high"], (simple, planted["simple"])
    assert planted["simple"] > 0 and simple["ci_low"] > 0  # the demo's effect is large enough to see
    # Before the launch nothing was planted, and the estimates say so (jobs do not move at all
    # before the launch: those estimates are exactly zero, with no interval).
    for e in result["event_study"]:
        if e["event_time"] < 0:
            assert e["att"] == 0 if e["ci_low"] is None else e["ci_low"] < 0 < e["ci_high"]


def test_the_event_study_follows_the_planted_ramp(demo, online):
    planted = planted_effect(demo)["event_study"]
    inside = [e["ci_low"] <= planted[e["event_time"]] <= e["ci_high"]
              for e in online["event_study"] if e["event_time"] >= 0]
    assert sum(inside) >= 0.9 * len(inside)


def test_the_sentence_says_from_which_month_the_effect_lasts(demo, online):
    # The planted ramp starts small: the first months cannot be told from zero, the later ones
    # can, up to the furthest months that only the first villages reached (wide intervals).
    words = impact_words(online, outcome="online_sales", currency="MXN")
    month = words["from_month"]
    assert month is not None and month > 0
    assert f"from month {month} after the start." in words["impact"]
    support = {s["event_time"]: s["n_cohorts"] for s in online["event_support"]}
    later = [e for e in online["event_study"] if e["event_time"] >= month and support[e["event_time"]] >= 2]
    assert later and all(e["ci_low"] > 0 for e in later)
    before = next(e for e in online["event_study"] if e["event_time"] == month - 1)
    assert before["ci_low"] <= 0


def test_the_aldea_script_sends_the_programme_form_to_the_platform(demo, online, tmp_path, monkeypatch):
    from django.db import connections

    from aldea.cli import is_analytics, main

    # A command run from the command line closes the connections at its end: here that would
    # end the module's transaction, which holds the demo.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    assert is_analytics(["impact", "--input", "panel.csv"]) and not is_analytics(["impact", "--programme", "x"])
    out = tmp_path / "impact.json"
    assert main(["impact", "--programme", demo.slug, "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == online


def test_an_unknown_programme_or_outcome_is_a_clear_error(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no programme with code 'nowhere'"):
        call_command("impact", "--programme", "nowhere")
    with pytest.raises(CommandError, match="only money outcomes are deflated"):
        call_command("impact", "--programme", demo.slug, "--outcome", "orders", "--deflate")
    with pytest.raises(CommandError, match="YYYY-MM..YYYY-MM"):
        call_command("impact", "--programme", demo.slug, "--period", "2024")


def test_the_programme_block_says_how_the_panel_was_built(demo, online):
    block = online["programme"]
    assert block["treatment_starts"] == "village launch"
    assert (block["participants"], block["comparison"], block["rows_read"]) == (400, 200, 600 * 24)
    assert block["cluster"] == "municipality" and online["n_clusters"] >= 20
    assert online["cohorts"][0] == {"cohort": None, "n_units": 200}
    assert [c["cohort"] for c in online["cohorts"][1:]] == ["2024-03", "2024-04", "2024-05", "2024-06"]
    assert online["pretrend"]["p_value"] is not None


def test_deflating_by_the_inpc_expresses_sales_in_prices_of_the_first_month(demo, online):
    deflated = impact_json(demo, "--deflate")
    assert deflated["programme"]["deflator"]["name"] == "inpc-mx"
    assert deflated["programme"]["deflator"]["base"] == "2024-01"
    # Prices rose about 3-7 % over the two years: the real effect is a little smaller.
    ratio = deflated["overall"]["simple"]["att"] / online["overall"]["simple"]["att"]
    assert 0.93 < ratio < 0.99
    assert deflated["programme"]["snapshot_hash"] != online["programme"]["snapshot_hash"]


def test_the_programme_form_takes_anticipation_and_the_bootstrap(demo, online):
    from django.core.management.base import CommandError

    early = impact_json(demo, "--anticipation", "1")
    assert early["anticipation"] == 1 and online["anticipation"] == 0
    # With a month of anticipation the effects are measured from two months before the launch.
    at_launch = [next(e["att"] for e in r["event_study"] if e["event_time"] == 0) for r in (early, online)]
    assert at_launch[0] != pytest.approx(at_launch[1], abs=1e-9)
    boot = impact_json(demo, "--bootstrap", "199", "--seed", "3")
    assert "bootstrap" in boot["standard_errors"] and boot["overall"]["simple"]["att"] == online["overall"]["simple"]["att"]
    assert impact_json(demo, "--bootstrap", "199", "--seed", "3")["overall"] == boot["overall"]
    with pytest.raises(CommandError, match="anticipation"):
        call_command("impact", "--programme", demo.slug, "--anticipation", "-1")


def test_the_programme_form_clusters_on_a_named_column_of_the_panel(demo, online):
    by_village = impact_json(demo, "--cluster", "village")
    assert by_village["programme"]["cluster"] == "village"
    # The demo's 8 villages, and each of its 200 comparison MSMEs (in no village) on its own.
    assert by_village["n_clusters"] == 8 + 200
    assert any("own cluster" in note for note in by_village["programme"]["notes"])
    by_msme = impact_json(demo, "--cluster", "msme")
    assert by_msme["programme"]["cluster"] == "msme" and by_msme["n_clusters"] == by_msme["n_units"] == 600
    # Clustering changes the errors, never the estimate.
    for result in (by_village, by_msme):
        assert result["overall"]["simple"]["att"] == pytest.approx(online["overall"]["simple"]["att"], abs=1e-9)
    assert by_msme["overall"]["simple"]["se"] != pytest.approx(online["overall"]["simple"]["se"], rel=1e-6)
    assert len({r["programme"]["snapshot_hash"] for r in (online, by_village, by_msme)}) == 3


def test_the_programme_form_takes_covariates_for_the_doubly_robust_estimator(demo):
    names = "owner_female,owner_age,indigenous_speaker,is_women_led,marginalisation_degree,baseline_sales"
    result = impact_json(demo, "--covariates", names)
    assert result["programme"]["covariates"] == names.split(",")
    assert result["covariates"] == names.split(",")
    assert result["estimator"].startswith("doubly robust")
    planted = planted_effect(demo, "online_sales")
    simple = result["overall"]["simple"]
    assert simple["ci_low"] < planted["simple"] < simple["ci_high"], (simple, planted["simple"])
    # An MSME missing a covariate (an owner of another or undisclosed sex, say) is left out
    # whole, and counted: its 24 months are rows with a missing covariate.
    left_out = 600 - result["n_units"]
    assert 0 <= left_out <= 10 and result["dropped"]["rows_missing_values"] == 24 * left_out
    women = impact_json(demo, "--covariates", "is_women_led, marginalisation_degree")
    assert women["n_units"] == 600 and women["covariates"] == ["is_women_led", "marginalisation_degree"]


@pytest.mark.parametrize("args, words", [
    (["--cluster", "state"], "--cluster 'state': the programme panel has no such column; cluster on municipality"),
    (["--covariates", "owner_age, income"], "--covariates 'income': the programme panel has no such column"),
    (["--covariates", "owner_age,owner_age"], "named twice"),
])
def test_an_unknown_cluster_or_covariate_is_a_clear_error_naming_it(demo, args, words):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("impact", "--programme", demo.slug, *args)
    assert words in str(error.value)


def test_a_period_restricts_the_months(demo):
    result = impact_json(demo, "--period", "2024-01..2024-12")
    assert result["periods"] == {"first": "2024-01", "last": "2024-12", "count": 12}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_the_report_prints_the_commands_estimate_and_interval_in_each_language(demo, online, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", "--programme", demo.slug, "--out", str(out), stdout=StringIO(), stderr=StringIO())
    data = collect(demo)
    simple = online["overall"]["simple"]
    for language, code in REPORT_LANGUAGES.items():
        path = out if language == "es" else tmp_path / f"report-{language}.pdf"
        if language != "es":
            path.write_bytes(render_pdf(data, language))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        with translation.override(code):
            figures = [money(simple[k], digits_for(simple)) for k in ("att", "ci_low", "ci_high")]
        for figure in figures:
            assert figure in text, (language, figure)
        assert data.snapshot_hash in text.replace("\n", "")
    # The figures are the same however the report is written, so the hash is too.
    assert collect(demo).snapshot_hash == data.snapshot_hash


def test_the_demos_iati_file_is_valid_with_budget_transactions_sector_and_locations(demo):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = build_activity_file(demo)
    assert schema.validate(document), schema.error_log
    activity = document.getroot().find("iati-activity")
    assert activity.find("sector").get("code") == "25030"
    assert len(activity.findall("location")) == 8
    assert len(activity.findall("budget")) == 8 and len(activity.findall("planned-disbursement")) == 8
    assert {t.find("transaction-type").get("code") for t in activity.findall("transaction")} == {"1", "4"}
