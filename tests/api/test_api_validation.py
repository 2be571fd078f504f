"""Bad input answers 400 naming the field and the reason, never 500; nothing is half-written."""

import pytest

from aldea.consulting.models import Engagement, StageChange
from aldea.enterprises.models import Product
from aldea.outcomes.models import OutcomeRecord
from tests import factories as f


@pytest.fixture
def manager(world, api_client_for):
    return api_client_for(world.manager)


def _post(client, endpoint, body):
    return client.post(f"/api/{endpoint}/", body, format="json")


def test_ends_on_before_starts_on_is_refused(manager, world):
    response = _post(manager, "agreements", {
        "code": "a", "title": "A", "programme": "main", "parties": [], "starts_on": "2025-05-01", "ends_on": "2025-01-01",
    })
    assert response.status_code == 400
    assert "ends_on" in response.json()


def test_online_sales_above_total_sales_is_refused(manager, world):
    response = _post(manager, "outcome-records", {
        "enterprise": "village-msme", "month": "2025-01-01", "total_sales": "100", "online_sales": "150",
    })
    assert response.status_code == 400
    assert "online_sales" in response.json()
    assert not OutcomeRecord.objects.exists()


def test_a_patch_that_breaks_online_within_total_is_refused(manager, world):
    record = f.OutcomeRecordFactory(enterprise=world.village_msme, total_sales=100, online_sales=50)
    response = manager.patch(f"/api/outcome-records/{record.pk}/", {"total_sales": "10"}, format="json")
    assert response.status_code == 400
    assert "online_sales" in response.json()


def test_outcome_month_must_be_a_months_first_day(manager, world):
    response = _post(manager, "outcome-records", {"enterprise": "village-msme", "month": "2025-01-15"})
    assert response.status_code == 400
    assert "month" in response.json()


def test_unknown_foreign_key_code_is_refused(manager, world):
    response = _post(manager, "products", {"enterprise": "no-such-msme", "sku": "1", "title": "T", "price": "5"})
    assert response.status_code == 400
    assert "enterprise" in response.json()


@pytest.mark.parametrize("score", ["-1", "100.5", "abc"])
def test_training_score_out_of_range_is_refused(score, world, api_client_for):
    enrolment = f.EnrolmentFactory(cohort=f.CohortFactory(course=f.CourseFactory(programme=world.programme), village=world.village))
    response = _post(api_client_for(world.manager), "assessment-results", {
        "enrolment": enrolment.pk, "name": "Final", "score": score, "assessed_on": "2025-01-01",
    })
    assert response.status_code == 400
    assert "score" in response.json()


def test_duplicate_unique_key_is_400_not_an_integrity_error(manager, world):
    f.ProductFactory(enterprise=world.village_msme, sku="TAP-1")
    response = _post(manager, "products", {"enterprise": "village-msme", "sku": "TAP-1", "title": "T", "price": "5"})
    assert response.status_code == 400
    assert Product.objects.filter(sku="TAP-1").count() == 1


def test_duplicate_code_is_400(manager, world):
    response = _post(manager, "villages", {
        "slug": "teotitlan", "name": "Dup", "programme": "main", "speciality": "x",
        "municipality": f"MX-{world.village.municipality.code}",
    })
    assert response.status_code == 400
    assert "slug" in response.json()


def test_duplicate_listing_external_id_on_a_channel_is_400(manager, world):
    channel = f.SalesChannelFactory(code="ml")
    f.ListingFactory(product=f.ProductFactory(enterprise=world.village_msme), channel=channel, external_id="MLM-1")
    other = f.ProductFactory(enterprise=world.village_msme)
    response = _post(manager, "listings", {"product": other.pk, "channel": "ml", "external_id": "MLM-1"})
    assert response.status_code == 400


def test_live_listing_needs_a_live_date(manager, world):
    product = f.ProductFactory(enterprise=world.village_msme)
    response = _post(manager, "listings", {"product": product.pk, "channel": f.SalesChannelFactory().code, "status": "live"})
    assert response.status_code == 400
    assert "live_on" in response.json()


def test_dropping_an_engagement_needs_a_reason_and_writes_nothing_without_one(world, api_client_for):
    engagement = f.EngagementFactory(enterprise=world.village_msme, consultant=world.consultant.person)
    client = api_client_for(world.consultant)

    refused = client.patch(f"/api/engagements/{engagement.pk}/", {"stage": "dropped"}, format="json")
    accepted = client.patch(
        f"/api/engagements/{engagement.pk}/", {"stage": "dropped", "drop_reason": "Moved away"}, format="json"
    )

    assert refused.status_code == 400
    assert "drop_reason_code" in refused.json()
    assert accepted.status_code == 200
    engagement.refresh_from_db()
    assert engagement.stage == "dropped"
    assert list(StageChange.objects.filter(engagement=engagement).values_list("to_stage", "reason")) == [
        ("dropped", "Moved away")
    ]


def test_engagement_consultant_must_be_a_consultant_of_the_programme(manager, world):
    response = _post(manager, "engagements", {
        "enterprise": "village-msme", "consultant": world.analyst.person.pk, "started_on": "2025-01-01",
    })
    assert response.status_code == 400
    assert "consultant" in response.json()
    assert not Engagement.objects.exists()


def test_participant_msme_needs_a_village(manager, world):
    response = _post(manager, "enterprises", {
        "code": "x", "name": "X", "programme": "main", "sector": "food",
        "municipality": f"MX-{world.village.municipality.code}",
    })
    assert response.status_code == 400
    assert "village" in response.json()


def test_unknown_choice_and_malformed_values_are_400(manager, world):
    response = _post(manager, "enterprises", {
        "code": "bad code!", "name": "", "programme": "main", "village": "teotitlan", "sector": "mining",
        "municipality": "nonsense", "employees": -3, "baseline_channels": ["carrier-pigeon"],
    })
    assert response.status_code == 400
    assert {"code", "name", "sector", "municipality", "employees", "baseline_channels"} <= response.json().keys()


def test_non_json_body_is_400(manager, world):
    response = manager.post("/api/products/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_gtin_must_be_digits(manager, world):
    response = _post(manager, "products", {"enterprise": "village-msme", "sku": "1", "title": "T", "price": "5", "gtin": "12ab"})
    assert response.status_code == 400
    assert "gtin" in response.json()


def test_price_must_be_positive(manager, world):
    response = _post(manager, "products", {"enterprise": "village-msme", "sku": "1", "title": "T", "price": "0"})
    assert response.status_code == 400
    assert "price" in response.json()


def test_assessment_with_a_bad_answer_is_refused_and_nothing_is_stored(world, api_client_for):
    from tests.api.resources import _assessment_payload

    payload = _assessment_payload(world)
    payload["answers"]["sells-online"] = 9
    response = _post(api_client_for(world.consultant), "assessments", payload)
    assert response.status_code == 400
    assert "sells-online" in response.json()["answers"]
    assert not world.village_msme.assessments.exists()


def test_assessment_is_scored_from_its_answers(world, api_client_for):
    from tests.api.resources import _assessment_payload

    response = _post(api_client_for(world.consultant), "assessments", _assessment_payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["score"] == "75.00"
    assert body["level"] == "avanzado"
    assert body["answers"] == {"sells-online": 4, "has-website": 2}


def test_revoking_a_certificate_needs_a_reason(world, api_client_for):
    cohort = f.CohortFactory(course=f.CourseFactory(programme=world.programme), village=world.village)
    certificate = f.CertificateFactory(enrolment=f.EnrolmentFactory(cohort=cohort, status="completed"))
    client = api_client_for(world.manager)

    # Revocation goes through the revoke action only: certificates are never PATCHed.
    patched = client.patch(f"/api/certificates/{certificate.code}/", {"revoked_at": "2025-01-01T00:00:00Z"}, format="json")
    refused = client.post(f"/api/certificates/{certificate.code}/revoke/", {"reason": ""}, format="json")
    revoked = client.post(f"/api/certificates/{certificate.code}/revoke/", {"reason": "Plagiarism"}, format="json")

    assert patched.status_code == 405
    assert refused.status_code == 400
    assert "reason" in refused.json()
    assert revoked.status_code == 200, revoked.content
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason == "Plagiarism"


def test_deleting_a_record_still_in_use_is_a_conflict_not_a_500(world, api_client_for):
    response = api_client_for(world.staff).delete("/api/countries/MX/")
    assert response.status_code == 409


def test_membership_dates_and_partner_organisation_are_checked(manager, world):
    response = _post(manager, "memberships", {
        "person": world.consultant.person.pk, "role": "partner", "programme": "main",
    })
    assert response.status_code == 400
    assert "organisation" in response.json()


@pytest.mark.parametrize("field", ["orders", "units", "export_markets"])
def test_a_number_too_large_for_the_database_is_400_and_writes_nothing(manager, world, field):
    response = _post(manager, "outcome-records", {
        "enterprise": "village-msme", "month": "2025-01-01", "total_sales": "10", "online_sales": "5", field: 10**20,
    })
    assert response.status_code == 400
    assert not OutcomeRecord.objects.exists()


def test_a_price_too_large_for_its_column_is_400(manager, world):
    response = _post(manager, "products", {"enterprise": "village-msme", "sku": "BIG", "title": "T", "price": "1" * 20})
    assert response.status_code == 400
    assert not Product.objects.filter(sku="BIG").exists()


# --- assessments with an instrument that cannot score them (each divided by zero) -------------------


def _instrument(staff, *, dimensions, options=(0, 1, 2, 3, 4)):
    """An instrument built through the API: ``dimensions`` maps a dimension code to its questions."""
    assert staff.post("/api/instruments/", {"code": "partial", "name": "Partial", "version": "1"}, format="json").status_code == 201
    assert staff.post("/api/answer-scales/", {"code": "scale", "name": "Scale"}, format="json").status_code == 201
    for value in options:
        staff.post("/api/answer-options/", {"scale": "scale", "value": value, "label": str(value)}, format="json")
    for position, (code, questions) in enumerate(dimensions.items()):
        dimension = staff.post("/api/dimensions/", {
            "instrument": "partial", "code": code, "name": code, "position": position, "weight": "1.00",
        }, format="json").json()
        for number, question in enumerate(questions):
            response = staff.post("/api/questions/", {
                "dimension": dimension["id"], "code": question, "text": question, "position": number,
                "scale": "scale", "weight": "1.00",
            }, format="json")
            assert response.status_code == 201, response.json()


def _assess(client, answers):
    return client.post("/api/assessments/", {
        "enterprise": "village-msme", "instrument": "partial", "assessed_on": "2025-01-01", "answers": answers,
    }, format="json")


@pytest.mark.parametrize(("dimensions", "options", "answers", "named"), [
    ({"estrategia": ["a"], "datos": []}, (0, 1, 2, 3, 4), {"a": 3}, "dimension datos"),
    ({}, (0, 1, 2, 3, 4), {}, "instrument"),
    ({"datos": ["a"]}, (0,), {"a": 0}, "a"),
    ({"datos": ["a"]}, (), {"a": 0}, "a"),
    ({"datos": ["a"], "canales": ["a"]}, (0, 1), {"a": 1}, "a"),
], ids=["dimension-without-questions", "no-dimension", "scale-tops-at-0", "scale-without-options", "code-twice"])
def test_an_assessment_the_instrument_cannot_score_is_refused_naming_why(
    dimensions, options, answers, named, world, api_client_for
):
    from aldea.diagnostics.models import Assessment

    _instrument(api_client_for(world.staff), dimensions=dimensions, options=options)
    response = _assess(api_client_for(world.manager), answers)
    assert response.status_code == 400, response.content[:500]
    assert named in response.json()["answers"]
    assert not Assessment.objects.exists()


def test_a_subset_of_answers_is_refused_naming_each_missing_question(world, api_client_for):
    _instrument(api_client_for(world.staff), dimensions={"estrategia": ["a", "b"], "datos": ["c"]})
    response = _assess(api_client_for(world.manager), {"a": 3})
    assert response.status_code == 400
    assert response.json()["answers"] == {"b": "missing answer", "c": "missing answer"}


# --- found by schemathesis (tests/api/test_api_schemathesis.py) ------------------------------------


def test_an_area_code_already_used_in_the_country_is_refused(world, api_client_for):
    municipality = world.village.municipality
    key = f"{municipality.country.code}-{municipality.code}"
    response = _post(api_client_for(world.staff), "areas", {
        "country": municipality.country.code, "level": "state", "code": municipality.code, "name": "Twin",
    })
    assert response.status_code == 400
    assert key in response.json()["code"][0]


def test_an_area_key_that_names_two_areas_answers_409_not_500(world, api_client_for):
    municipality = world.village.municipality
    f.StateFactory(country=municipality.country, code=municipality.code, name="Imported twin")
    client = api_client_for(world.staff)
    url = f"/api/areas/{municipality.country.code}-{municipality.code}/"
    for response in (client.get(url), client.patch(url, {"name": "X"}, format="json")):
        assert response.status_code == 409
        assert "names more than one area" in response.json()["detail"]


def test_a_search_with_a_null_character_answers_an_object_naming_the_problem(world, api_client_for):
    response = api_client_for(world.manager).get("/api/countries/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_an_unknown_api_path_answers_json_even_to_a_write_without_a_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    response = client.delete("/api/areas/not-a-key/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("code", [",\x10", "20-546", "2054ñ", "20 546"])
def test_an_area_code_that_cannot_be_part_of_its_key_is_refused(code, world, api_client_for):
    response = _post(api_client_for(world.staff), "areas", {
        "country": "MX", "level": "state", "code": code, "name": "Odd",
    })
    assert response.status_code == 400
    assert "letters and digits" in response.json()["code"][0]


def test_figures_entered_through_the_api_keep_their_source(manager, world):
    response = _post(manager, "outcome-records", {
        "enterprise": "village-msme", "month": "2025-01-01", "total_sales": "900", "online_sales": "400",
    })
    assert response.status_code == 201, response.json()
    record = OutcomeRecord.objects.get(pk=response.json()["id"])
    assert (record.source, record.source_of("online_sales"), record.source_of("orders")) == ("entry", "entry", None)
    # A later correction from a survey names the figure it changed, the others keep theirs.
    assert manager.patch(f"/api/outcome-records/{record.pk}/", {"orders": 3, "source": "survey"}, format="json").status_code == 200
    record.refresh_from_db()
    assert (record.source_of("orders"), record.source_of("total_sales")) == ("survey", "entry")


def test_an_outcome_month_in_the_future_is_refused(manager, world):
    response = _post(manager, "outcome-records", {"enterprise": "village-msme", "month": "2999-01-01"})
    assert response.status_code == 400
    assert "month" in response.json()
    assert not OutcomeRecord.objects.exists()
