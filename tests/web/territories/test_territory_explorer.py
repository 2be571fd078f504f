import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aldea.core.exceptions import DomainError
from aldea.programmes.models import Village, VillageStatusChange
from aldea.programmes.proposals import propose_village
from aldea.territories.models import AdministrativeArea, ClusterClassification
from aldea.workspace.charts import territory as territory_charts
from aldea.workspace.figures import territory as figures
from tests import factories as f
from tests.web.programmes.builders import grow

URL = reverse("workspace:explorer")
PROPOSE = reverse("workspace:propose_village")
pytestmark = pytest.mark.django_db


def classify(area, *, shops, qualifies=False, turnover="1000"):
    return ClusterClassification.objects.create(
        profile="latam-relative",
        area=area,
        computed_at=timezone.now(),
        window_end=datetime.date(2025, 3, 31),
        active_shops=shops,
        turnover=Decimal(turnover),
        currency="MXN",
        turnover_cny=Decimal(turnover) / 2,
        qualifies=qualifies,
        rank=1,
    )


@pytest.fixture
def territory(world):
    """Three municipalities without a village: a poor one with shops, a richer one with shops and
    a partner, and one with no signal at all."""
    poor = f.MunicipalityFactory(
        code="20901",
        name="Pobre",
        households=1000,
        marginalisation_index=40.0,
        marginalisation_degree="muy_alto",
    )
    rich = f.MunicipalityFactory(
        code="20902",
        name="Rica",
        households=2000,
        marginalisation_index=60.0,
        marginalisation_degree="muy_bajo",
    )
    silent = f.MunicipalityFactory(
        code="20903", name="Callada", households=500, marginalisation_index=30.0
    )
    classify(poor, shops=5)
    classify(rich, shops=20, qualifies=True)
    f.OrganisationFactory(municipality=rich, name="Universidad Rica")
    f.EnterpriseFactory(
        village=None,
        programme=world.programme,
        group="comparison",
        municipality=poor,
        speciality="barro negro",
    )
    return {"poor": poor, "rich": rich, "silent": silent}


# --- the figures by hand ----------------------------------------------------------------------


def test_candidates_are_ranked_by_need_ecommerce_and_presence(world, territory):
    rows = figures.municipality_rows(country_id=world.programme.country_id)
    by_code = {r.code: r for r in rows}
    assert by_code["20901"].shops_per_1000_households == 5.0
    assert by_code["20902"].shops_per_1000_households == 10.0
    assert by_code["20902"].qualifies and not by_code["20901"].qualifies
    candidates = figures.candidate_communities(
        rows,
        village_area_ids={world.village.municipality_id, world.second_village.municipality_id},
        specialities={territory["poor"].id: ("barro negro", 1)},
        organisations_by_area={territory["rich"].id: 1},
        organisations_by_state={"20": 1},
    )
    # Only the two with a signal, the needier first (0.658 against 0.6, see below); the villages'
    # municipalities are left out.
    assert [c.row.code for c in candidates] == ["20901", "20902"]
    poor, rich = candidates
    # need: poor (40) is the neediest → 1, rich (60) → 0; e-commerce: 10/10 and 5/10;
    # presence: (2·1 + 1)/3 = 1 and (0 + 1)/3.
    assert (poor.need, poor.ecommerce, poor.presence) == (1.0, 0.5, pytest.approx(1 / 3))
    assert (rich.need, rich.ecommerce, rich.presence) == (0.0, 1.0, 1.0)
    assert poor.score == pytest.approx(0.4 + 0.35 * 0.5 + 0.25 / 3)
    assert rich.score == pytest.approx(0.35 + 0.25)
    assert poor.speciality == "barro negro"


def test_specialities_and_organisations_by_place(world, territory):
    from aldea.enterprises.models import Enterprise
    from aldea.partners.models import Organisation

    specialities = figures.specialities_by_area(
        Enterprise.objects.filter(municipality=territory["poor"])
    )
    assert specialities == {territory["poor"].id: ("barro negro", 1)}
    by_area, by_state = figures.organisations_by_place(Organisation.objects.all())
    assert by_area == {territory["rich"].id: 1}
    assert by_state == {"20": 1}


def test_propose_village_creates_a_candidate_and_records_it(world, territory):
    village = propose_village(
        programme=world.programme,
        municipality=territory["poor"],
        name=" Pobre ",
        speciality="barro negro",
        user=world.manager,
        note="needy",
    )
    assert (village.status, village.name, village.programme) == (
        "candidate",
        "Pobre",
        world.programme,
    )
    change = VillageStatusChange.objects.get(village=village)
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "",
        "candidate",
        world.manager,
        "needy",
    )
    with pytest.raises(DomainError):
        propose_village(
            programme=world.programme, municipality=territory["poor"], name="pobre", speciality="x"
        )
    state = AdministrativeArea.objects.get(level="state", code="20")
    with pytest.raises(DomainError):
        propose_village(
            programme=world.programme, municipality=state, name="Oaxaca", speciality="x"
        )
    assert Village.objects.filter(municipality=territory["poor"]).count() == 1


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "staff"])
def test_explorer_opens_for_managers_analysts_partners_and_staff(world, login, name):
    assert login(getattr(world, name)).get(URL).status_code == 200


@pytest.mark.parametrize("name", ["trainer", "consultant", "msme_owner", "outsider"])
def test_explorer_is_forbidden_to_other_roles(world, login, name):
    assert login(getattr(world, name)).get(URL).status_code == 403


def test_explorer_needs_a_login(world, login):
    response = login(None).get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_explorer_of_another_programme_is_not_found(world, login):
    assert login(world.manager).get(URL, {"programme": world.other.slug}).status_code == 404


def test_explorer_shows_the_candidates_and_the_map(world, login, territory):
    response = login(world.manager).get(URL)
    assert [c.row.code for c in response.context["candidates"]] == ["20901", "20902"]
    content = response.content.decode()
    assert "explorer-map" in content
    assert reverse("territories:geojson", args=["municipalities"]) in content
    assert response.context["can_propose"] is True
    assert PROPOSE in content
    assert login(world.analyst).get(URL).context["can_propose"] is False


def test_explorer_filters_by_state(world, login, territory):
    f.MunicipalityFactory(code="07001", parent=f.StateFactory(code="07", name="Chiapas"))
    response = login(world.manager).get(URL, {"state": "07"})
    assert response.context["municipality_count"] == 1
    assert (
        reverse("territories:state_geojson", args=["municipalities", "07"])
        in response.content.decode()
    )
    # An unknown state shows the whole country.
    assert login(world.manager).get(URL, {"state": "99"}).context["state"] == ""


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def test_explorer_query_count_does_not_grow(world, login, territory):
    client = login(world.manager)
    grow(world, 1)
    small = _queries(client, URL)
    grow(world, 5)
    for n in range(5):
        classify(f.MunicipalityFactory(), shops=n + 1)
    large = _queries(client, URL)
    assert small == large <= 15
    assert _queries(client, URL, state="20") <= 15


# --- the municipality card --------------------------------------------------------------------


def card(code):
    return reverse("workspace:municipality_card", args=[code])


def test_card_shows_the_municipalitys_figures(world, login, territory):
    rich = territory["rich"]
    rich.population = 8000
    rich.save()
    f.VillageFactory(programme=world.programme, municipality=rich, name="Aldea Rica")
    response = login(world.analyst).get(card("20902"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "workspace/partials/municipality_card.html"
    assert response.context["shops_per_1000"] == 10.0
    assert response.context["classification"].qualifies
    content = response.content.decode()
    assert "Aldea Rica" in content and "Universidad Rica" in content
    assert 'data-figure="population"' in content


def test_card_without_htmx_is_a_full_page(world, login, territory):
    response = login(world.manager).get(card("20901"))
    assert response.status_code == 200
    assert "workspace/municipality.html" in [t.name for t in response.templates]


def test_card_hides_villages_the_user_cannot_see(world, login, territory):
    f.VillageFactory(programme=world.other, municipality=territory["rich"], name="Aldea Ajena")
    assert "Aldea Ajena" not in login(world.manager).get(card("20902")).content.decode()


def test_card_of_an_unknown_municipality_is_not_found(world, login):
    assert login(world.manager).get(card("99999")).status_code == 404


def test_card_is_forbidden_to_other_roles_and_needs_a_login(world, login, territory):
    assert login(world.consultant).get(card("20901")).status_code == 403
    assert login(None).get(card("20901")).status_code == 302


def test_card_query_count_does_not_grow(world, login, territory):
    client = login(world.manager)
    small = _queries(client, card("20901"))
    grow(world, 3)
    for _ in range(3):
        f.VillageFactory(programme=world.programme, municipality=territory["poor"])
        f.OrganisationFactory(municipality=territory["poor"])
    assert small == _queries(client, card("20901")) <= 15


# --- proposing a village ----------------------------------------------------------------------


def test_manager_opens_the_proposal_form_prefilled(world, login, territory):
    response = login(world.manager).get(
        PROPOSE,
        {"programme": world.programme.slug, "municipality": "20901", "speciality": "barro negro"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Pobre"
    assert response.context["form"].initial["speciality"] == "barro negro"


def test_manager_proposes_a_village(world, login, territory):
    response = login(world.manager).post(
        PROPOSE,
        {
            "programme": world.programme.slug,
            "municipality": "20901",
            "name": "San Pobre",
            "speciality": "barro negro",
        },
    )
    village = Village.objects.get(name="San Pobre")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:village", args=[village.slug])
    assert village.status == "candidate" and village.municipality == territory["poor"]
    assert VillageStatusChange.objects.filter(village=village, to_status="candidate").count() == 1
    # No longer a candidate community.
    codes = [c.row.code for c in login(world.manager).get(URL).context["candidates"]]
    assert "20901" not in codes


def test_htmx_proposal_redirects_to_the_new_village(world, login, territory):
    response = login(world.manager).post(
        PROPOSE,
        {
            "programme": world.programme.slug,
            "municipality": "20901",
            "name": "San Pobre",
            "speciality": "barro",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/programme/village/")


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "speciality": "barro"},
        {"name": "Pobre", "speciality": ""},
        {"name": "Pobre", "speciality": "barro", "municipality": "99999"},
        {"name": "Pobre", "speciality": "barro", "municipality": "abc"},
    ],
)
def test_bad_proposal_shows_errors_and_writes_nothing(world, login, territory, data):
    before = Village.objects.count()
    payload = {"programme": world.programme.slug, "municipality": "20901", **data}
    response = login(world.manager).post(PROPOSE, payload, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert Village.objects.count() == before
    assert not VillageStatusChange.objects.exists()


def test_proposing_the_same_village_twice_is_refused(world, login, territory):
    payload = {
        "programme": world.programme.slug,
        "municipality": "20901",
        "name": "San Pobre",
        "speciality": "barro",
    }
    client = login(world.manager)
    client.post(PROPOSE, payload)
    response = client.post(PROPOSE, payload)
    assert response.status_code == 400
    assert Village.objects.filter(name="San Pobre").count() == 1


@pytest.mark.parametrize("name", ["analyst", "partner"])
def test_read_only_roles_cannot_propose(world, login, territory, name):
    payload = {
        "programme": world.programme.slug,
        "municipality": "20901",
        "name": "San Pobre",
        "speciality": "barro",
    }
    assert login(getattr(world, name)).post(PROPOSE, payload).status_code == 403
    assert not Village.objects.filter(name="San Pobre").exists()


def test_outsider_cannot_propose_in_another_programme(world, login, territory):
    payload = {
        "programme": world.programme.slug,
        "municipality": "20901",
        "name": "San Pobre",
        "speciality": "barro",
    }
    assert login(world.outsider).post(PROPOSE, payload).status_code == 404


def test_explorer_map_marks_the_villages_the_user_sees(world, login, territory):
    response = login(world.partner).get(URL)
    import json

    points = json.loads(response.context["map_json"])["data"][0]
    assert points["type"] == "scattergeo"
    assert points["text"] == [world.village.name]  # the partner does not see the second village


def test_keyboard_users_can_pick_a_municipality_of_the_state(world, login, territory):
    assert login(world.manager).get(URL).context["municipality_choices"] is None
    choices = login(world.manager).get(URL, {"state": "20"}).context["municipality_choices"]
    assert ("20901", "Pobre") in choices


def test_marginalisation_layer_draws_municipalities_with_no_degree_in_grey(world):
    rows = figures.municipality_rows(country_id=world.programme.country_id)
    layer = territory_charts.explorer_layers(rows)[0]
    # world's municipalities have no degree: band 0, so they are still drawn and clickable.
    assert 0 in layer["z"] and None not in layer["z"]
    assert layer["zmin"] == -0.5 and layer["colorbar"]["tickvals"] == [0, 1, 2, 3, 4, 5]
    known = [r for r in rows if r.degree_number]
    assert territory_charts.explorer_layers(known)[0]["zmin"] == 0.5
