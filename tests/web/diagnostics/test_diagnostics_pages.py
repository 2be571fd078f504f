import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aldea.diagnostics.figures import dimension_comparison, maturity_radar
from aldea.diagnostics.instrument import load_instrument_file
from aldea.diagnostics.models import Answer, Assessment
from aldea.diagnostics.services import record_assessment
from tests import factories as f
from tests.web.diagnostics.conftest import all_answers


def new_url(enterprise):
    return f"/diagnostics/msme/{enterprise.code}/new/"


def page_url(assessment):
    return f"/diagnostics/msme/{assessment.enterprise.code}/assessment/{assessment.pk}/"


def _record(enterprise, instrument, value, on):
    answers = {q["code"]: value for d in load_instrument_file()["dimensions"] for q in d["questions"]}
    return record_assessment(enterprise=enterprise, instrument=instrument, answers=answers, assessed_on=on)


# --- the form -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world, instrument):
    response = client.get(new_url(world.village_msme))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assessment = _record(world.village_msme, instrument, 2, datetime.date(2024, 1, 1))
    assert client.get(page_url(assessment)).status_code == 302


@pytest.mark.parametrize("role", ["consultant", "manager", "trainer", "staff"])
def test_consultants_trainers_and_managers_may_fill_it(role, login, world, settings):
    settings.LANGUAGE_CODE = "es-mx"  # the instrument's Spanish labels, as a Mexican user sees them
    response = login(getattr(world, role)).get(new_url(world.village_msme))
    assert response.status_code == 200
    html = response.content.decode()
    spec = load_instrument_file()
    assert sum(len(d["questions"]) for d in spec["dimensions"]) == 24
    assert html.count('type="radio"') == 24 * 5
    for dimension in spec["dimensions"]:
        assert dimension["name"]["es"] in html


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_read_only_roles_get_403(role, login, world):
    client = login(getattr(world, role))
    assert client.get(new_url(world.village_msme)).status_code == 403
    assert client.post(new_url(world.village_msme), all_answers()).status_code == 403
    assert not Assessment.objects.exists()


def test_the_owner_reads_but_does_not_fill_their_diagnostic(login, world, instrument):
    client = login(world.msme_owner)
    assert client.get(new_url(world.owned_msme)).status_code == 403
    assessment = _record(world.owned_msme, instrument, 3, datetime.date(2024, 1, 1))
    assert client.get(page_url(assessment)).status_code == 200


def test_out_of_scope_msme_is_404(login, world, instrument):
    assert login(world.consultant).get(new_url(world.second_village_msme)).status_code == 404
    assert login(world.outsider).get(new_url(world.village_msme)).status_code == 404
    assert login(world.manager).get(new_url(world.other_msme)).status_code == 404
    other = _record(world.other_msme, instrument, 2, datetime.date(2024, 1, 1))
    assert login(world.manager).get(page_url(other)).status_code == 404


def test_labels_follow_the_active_language(login, world):
    client = login(world.consultant)
    spec = load_instrument_file()
    for language, key in (("pt-br", "pt"), ("en", "en")):
        html = client.get(new_url(world.village_msme), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert spec["dimensions"][0]["name"][key] in html
        assert spec["dimensions"][0]["questions"][0]["text"][key] in html
        assert spec["scale"]["options"][4]["label"][key] in html


def test_saving_scores_and_redirects_to_the_assessment(login, world):
    # Dimension i answered i % 5 everywhere: scores 0, 25, 50, 75, 100, 0 → overall 41.67.
    data = all_answers(lambda d, q: d % 5)
    response = login(world.consultant).post(new_url(world.village_msme), data)
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == page_url(assessment)
    codes = [d["code"] for d in load_instrument_file()["dimensions"]]
    assert [assessment.dimension_scores[code] for code in codes] == [0.0, 25.0, 50.0, 75.0, 100.0, 0.0]
    assert float(assessment.score) == pytest.approx(41.67)
    assert assessment.level == "competente"
    assert assessment.assessor == world.consultant.person
    assert assessment.assessed_on == datetime.date(2024, 5, 1)
    assert Answer.objects.filter(assessment=assessment).count() == 24


def test_every_question_must_be_answered_and_nothing_is_saved(login, world):
    data = all_answers()
    spec = load_instrument_file()
    missing = [spec["dimensions"][1]["questions"][0]["code"], spec["dimensions"][5]["questions"][3]["code"]]
    for code in missing:
        del data[f"q_{code}"]
    response = login(world.consultant).post(new_url(world.village_msme), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {f"q_{code}" for code in missing}
    assert "Answer this question." in response.content.decode()
    assert not Assessment.objects.exists() and not Answer.objects.exists()


def test_answers_outside_0_4_and_future_dates_are_refused(login, world):
    data = all_answers()
    first = load_instrument_file()["dimensions"][0]["questions"][0]["code"]
    data[f"q_{first}"] = "7"
    data["assessed_on"] = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = login(world.consultant).post(new_url(world.village_msme), data)
    assert response.status_code == 400
    assert {f"q_{first}", "assessed_on"} <= set(response.context["form"].errors)
    assert not Assessment.objects.exists()


# --- the assessment page ------------------------------------------------------------------------


def test_assessment_page_shows_level_score_and_comparison(login, world, instrument):
    before = _record(world.village_msme, instrument, 1, datetime.date(2024, 1, 10))
    after = _record(world.village_msme, instrument, 3, datetime.date(2024, 6, 10))
    response = login(world.consultant).get(page_url(after))
    assert response.status_code == 200
    context = response.context
    assert context["previous"] == before
    assert context["score_change"] == 50.0
    assert [row["change"] for row in context["rows"]] == [50.0] * 6
    html = response.content.decode()
    assert "Advanced" in html and 'id="maturity-radar"' in html and "scatterpolar" in html
    # The first diagnostic has nothing to compare with.
    assert login(world.consultant).get(page_url(before)).context["previous"] is None


def test_radar_and_comparison_functions(world):
    labels = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    figure = maturity_radar(labels, {"a": 50, "b": 75, "c": 100}, {"a": 25, "b": 75, "c": 80})
    previous_trace, current_trace = figure["data"]
    assert current_trace["r"] == [50, 75, 100, 50]
    assert current_trace["theta"] == ["Alpha", "Beta", "Gamma", "Alpha"]
    assert previous_trace["r"] == [25, 75, 80, 25]
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 100]
    rows = dimension_comparison(labels, {"a": 50, "b": 75, "c": 100}, {"a": 25, "b": 75, "c": 80})
    assert [(r["label"], r["change"]) for r in rows] == [("Alpha", 25), ("Beta", 0), ("Gamma", 20)]
    assert [r["change"] for r in dimension_comparison(labels, {"a": 1, "b": 2, "c": 3}, None)] == [None] * 3


def test_page_chart_equals_the_figure_function(login, world, instrument):
    assessment = _record(world.village_msme, instrument, 2, datetime.date(2024, 1, 10))
    response = login(world.manager).get(page_url(assessment))
    chart = json.loads(response.context["radar_json"].replace("<\\/", "</"))
    assert chart["data"][0]["type"] == "scatterpolar"
    assert chart["data"][0]["r"] == [50.0] * 7


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_data(login, world, instrument):
    client = login(world.consultant)
    first = _record(world.village_msme, instrument, 2, datetime.date(2023, 1, 1))
    small_form, small_page = _queries(client, new_url(world.village_msme)), _queries(client, page_url(first))
    for index in range(12):
        _record(world.village_msme, instrument, index % 5, datetime.date(2022, 1, 1) + datetime.timedelta(days=index))
        f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=world.consultant.person)
    large_form, large_page = _queries(client, new_url(world.village_msme)), _queries(client, page_url(first))
    assert small_form == large_form <= 15
    assert small_page == large_page <= 15


def test_the_date_is_prefilled_with_today_as_the_date_picker_reads_it(login, world, settings):
    settings.LANGUAGE_CODE = "es-mx"  # a localised value (01/12/2026) would leave the picker empty
    html = login(world.consultant).get(new_url(world.village_msme)).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="assessed_on" value="{today}"' in html


def test_the_result_page_links_back_to_the_msme(login, world, instrument):
    assessment = _record(world.village_msme, instrument, 2, datetime.date(2024, 3, 1))
    html = login(world.consultant).get(page_url(assessment)).content.decode()
    msme_url = f"/msmes/{world.village_msme.code}/"
    assert f'<a class="btn" href="{msme_url}">Back to {world.village_msme.name}</a>' in html
