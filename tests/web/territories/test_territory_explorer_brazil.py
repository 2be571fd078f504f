"""The territory explorer for a Brazilian programme: the states' map with municipal seats, the
candidate ranking, and proposing a village by its 7-digit IBGE code."""

import json

import pytest
from django.urls import reverse

from aldea.accounts.models import Role
from aldea.programmes.forms import ProposeVillageForm
from aldea.programmes.models import Village
from aldea.territories import geo
from aldea.workspace.charts import territory as charts
from aldea.workspace.figures import territory as figures
from tests import factories as f
from tests.conftest import make_persona
from tests.web.territories.test_territory_explorer import classify

URL = reverse("workspace:explorer")
PROPOSE = reverse("workspace:propose_village")
pytestmark = pytest.mark.django_db


@pytest.fixture
def brazil(world):
    """A Brazilian programme in São Paulo state: Ibitinga (a speciality town, 30 shops), the
    city of São Paulo (5 shops among 4 million households) and a municipality with no seat
    coordinates. Its manager is also an analyst of the Mexican programme."""
    country = f.CountryFactory(code="BR", name="Brasil", currency="BRL")
    sp = f.StateFactory(country=country, code="35", name="São Paulo")
    towns = {
        code: f.MunicipalityFactory(country=country, parent=sp, code=code, name=name, households=h,
                                    latitude=lat, longitude=lon)
        for code, name, h, lat, lon in [("3519600", "Ibitinga", 20_000, "-21.7578", "-48.8297"),
                                        ("3550308", "São Paulo", 4_000_000, "-23.5329", "-46.6395"),
                                        ("3500105", "Adamantina", 12_000, None, None)]
    }
    classify(towns["3519600"], shops=30, qualifies=True)
    classify(towns["3550308"], shops=5)
    programme = f.ProgrammeFactory(slug="brasil", country=country, currency="BRL")
    f.EnterpriseFactory(village=None, programme=programme, group="comparison",
                        municipality=towns["3519600"], speciality="bordados")
    manager = make_persona(Role.MANAGER, programme, username="gerente")
    f.MembershipFactory(person=manager.person, programme=world.programme, role=Role.ANALYST)
    return {"programme": programme, "manager": manager, "towns": towns}


def test_brazilian_explorer_draws_the_states_and_the_municipal_seats(world, login, brazil):
    response = login(brazil["manager"]).get(URL, {"programme": "brasil"})
    assert response.status_code == 200
    assert response.context["municipality_count"] == 3 and response.context["unmapped"] == 1
    anchor, seats, states = json.loads(response.context["map_json"])["data"]
    assert anchor["type"] == "scattergeo" and anchor["marker"]["opacity"] == 0
    assert seats["type"] == "scattergeo" and seats["customdata"] == ["3519600", "3550308"]
    assert seats["lon"] == [-48.8297, -46.6395]
    assert states["type"] == "choropleth" and len(states["locations"]) == 27 and "35" in states["locations"]
    assert states["geojson"].startswith(reverse("territories:country_geojson", args=["BR", "states"]))
    # The layers restyle the points' markers, not a choropleth's z.
    ecommerce = response.context["layers"][1]["restyle"]
    assert ecommerce["marker.color"] == [[1.5, 0.0]] and "%{marker.color}" in ecommerce["hovertemplate"][0]
    assert "No map geometry" not in response.content.decode()


def test_a_brazilian_state_shows_only_that_states_outline(world, login, brazil):
    response = login(brazil["manager"]).get(URL, {"programme": "brasil", "state": "35"})
    states = json.loads(response.context["map_json"])["data"][2]
    assert states["locations"] == ["35"]
    assert [code for code, _name in response.context["municipality_choices"]] == ["3500105", "3519600", "3550308"]


def test_brazilian_candidates_are_ranked_by_their_signal(world, login, brazil):
    candidates = login(brazil["manager"]).get(URL, {"programme": "brasil"}).context["candidates"]
    # No CONAPO index in Brazil: e-commerce intensity decides (1.5 against 0.00125 shops / 1,000).
    assert [c.row.code for c in candidates] == ["3519600", "3550308"]
    assert candidates[0].speciality == "bordados" and candidates[0].need == 0.0


def test_brazils_states_geojson_is_keyed_by_ibge_code(client):
    response = client.get(reverse("territories:country_geojson", args=["BR", "states"]))
    assert response.status_code == 200
    features = json.loads(response.content)["features"]
    assert len(features) == 27
    by_code = {feature["id"]: feature["properties"]["name"] for feature in features}
    assert by_code["35"] == "São Paulo" and by_code["53"] == "Distrito Federal"
    assert set(geo.centroids("states", "BR")) == set(by_code)


def test_a_country_without_geometry_has_no_geojson_and_no_map(world, login, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    assert client_get(login(None), "CO", "states") == 404
    assert client_get(login(None), "BR", "municipalities") == 404
    assert not geo.has_map("CO") and geo.has_map("BR") and geo.has_map("MX")


def client_get(client, country, kind):
    return client.get(reverse("territories:country_geojson", args=[country, kind])).status_code


def test_manager_proposes_a_brazilian_village_by_its_ibge_code(world, login, brazil):
    response = login(brazil["manager"]).post(
        PROPOSE, {"programme": "brasil", "municipality": "3519600", "name": "Ibitinga", "speciality": "bordados"})
    assert response.status_code == 302
    village = Village.objects.get(programme=brazil["programme"])
    assert village.municipality == brazil["towns"]["3519600"] and village.status == "candidate"


def test_a_mexican_code_for_a_brazilian_programme_is_refused_naming_the_format(world, login, brazil):
    response = login(brazil["manager"]).post(
        PROPOSE, {"programme": "brasil", "municipality": "20901", "name": "X", "speciality": "y"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "20901 is not a municipality code of Brasil, which has 7 digits" in response.content.decode()
    assert not Village.objects.filter(programme=brazil["programme"]).exists()


def test_the_form_checks_each_countrys_own_code_format(brazil, world):
    base = {"programme": "p", "name": "n", "speciality": "s"}
    assert ProposeVillageForm({**base, "municipality": "3519600"}, country=brazil["programme"].country).is_valid()
    mexican = ProposeVillageForm({**base, "municipality": "3519600"}, country=world.programme.country)
    assert not mexican.is_valid() and "5 digits" in mexican.errors["municipality"][0]
    assert ProposeVillageForm({**base, "municipality": "20901"}, country=world.programme.country).is_valid()


def test_a_manager_of_the_mexican_programme_cannot_explore_or_propose_in_brazil(world, login, brazil):
    client = login(world.manager)
    assert client.get(URL, {"programme": "brasil"}).status_code == 404
    payload = {"programme": "brasil", "municipality": "3519600", "name": "X", "speciality": "y"}
    assert client.post(PROPOSE, payload).status_code == 404
    assert not Village.objects.filter(programme=brazil["programme"]).exists()


def test_a_person_with_two_roles_manages_in_brazil_and_only_reads_in_mexico(world, login, brazil):
    client = login(brazil["manager"])
    assert client.get(URL, {"programme": "brasil"}).context["can_propose"] is True
    mexico = client.get(URL, {"programme": world.programme.slug})
    assert mexico.status_code == 200 and mexico.context["can_propose"] is False
    payload = {"programme": world.programme.slug, "municipality": "20901", "name": "X", "speciality": "y"}
    assert client.post(PROPOSE, payload).status_code == 403


def test_a_code_shared_by_two_countries_opens_the_card_of_the_countrys_municipality(world, login, brazil):
    colombia = f.CountryFactory(code="CO", name="Colombia", currency="COP")
    f.MunicipalityFactory(code="05001", name="Abasolo")
    f.MunicipalityFactory(country=colombia, parent=f.StateFactory(country=colombia, code="05", name="Antioquia"),
                          code="05001", name="Medellín")
    client = login(world.analyst)
    card = reverse("workspace:municipality_card", args=["05001"])
    assert client.get(card).status_code == 404  # ambiguous without the country
    assert client.get(card, {"country": "CO"}).context["area"].name == "Medellín"
    assert client.get(card, {"country": "MX"}).context["area"].name == "Abasolo"
    page = login(brazil["manager"]).get(URL, {"programme": "brasil"})
    assert page.context["card_url_template"].endswith("?country=BR")


def test_point_layers_put_the_colouring_on_the_markers():
    row = figures.MunicipalityRow(1, "3519600", "Ibitinga", "35", "São Paulo", 80_000, 20_000, None, "",
                                  latitude=-21.76, longitude=-48.83, active_shops=30)
    points = charts.explorer_layers([row], points=True)[1]["restyle"]
    polygons = charts.explorer_layers([row])[1]["restyle"]
    assert points["marker.color"] == polygons["z"] == [[1.5]]
    assert set(points) == {"marker.color", "marker.cmin", "marker.cmax", "marker.colorscale",
                           "marker.colorbar", "hovertemplate"}


def test_the_overview_of_a_brazilian_programme_maps_its_villages_on_brazils_states(world, login, brazil):
    f.VillageFactory(programme=brazil["programme"], municipality=brazil["towns"]["3519600"], name="Ibitinga")
    response = login(brazil["manager"]).get(reverse("workspace:overview"), {"programme": "brasil"})
    assert response.status_code == 200
    traces = json.loads(response.context["map_json"])["data"]
    states = next(t for t in traces if t["type"] == "choropleth")
    assert len(states["locations"]) == 27 and "/geo/BR/states.geojson" in states["geojson"]
    village = next(t for t in traces if t["type"] == "scattergeo" and t.get("text"))
    assert village["lon"] == [-48.8297] and village["lat"] == [-21.7578]
