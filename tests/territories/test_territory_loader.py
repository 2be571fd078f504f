"""Brazil's packaged territories and the generic CSV + GeoJSON loader for any country."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from aldea.territories.data import build
from aldea.territories.models import AdministrativeArea, Country
from aldea.territories.services import (
    BRAZIL_MUNICIPALITIES_FILE,
    TerritoryFileError,
    load_brazil_reference,
    read_reference_csv,
    states_geometry_file,
)

MUNICIPALITY = AdministrativeArea.Level.MUNICIPALITY
STATE = AdministrativeArea.Level.STATE


@pytest.mark.skipif(not (build.DEFAULT_SOURCE / build.BRAZIL_POPULATION_FILE).exists(),
                    reason="shared source data not present")
def test_brazil_build_reproduces_the_packaged_file_byte_for_byte(tmp_path: Path):
    output = tmp_path / "br.csv.gz"
    assert build.build_brazil(build.DEFAULT_SOURCE, output) == 5570
    assert output.read_bytes() == BRAZIL_MUNICIPALITIES_FILE.read_bytes()


@pytest.mark.django_db
def test_brazil_loads_27_states_and_5570_municipalities_with_the_2022_population():
    counts = load_brazil_reference()
    assert counts["states_created"] == 27 and counts["municipalities_created"] == 5570
    brazil = Country.objects.get(code="BR")
    assert (brazil.name, brazil.currency) == ("Brasil", "BRL")
    municipalities = AdministrativeArea.objects.filter(country=brazil, level=MUNICIPALITY)
    assert municipalities.aggregate(p=Sum("population"))["p"] == 207_750_291  # IBGE prévia 2022
    assert AdministrativeArea.objects.filter(country=brazil, level=STATE).aggregate(p=Sum("population"))["p"] == 207_750_291
    ibitinga = municipalities.select_related("parent").get(code="3519600")
    assert ibitinga.name == "Ibitinga" and ibitinga.parent.code == "35" and ibitinga.parent.name == "São Paulo"
    assert ibitinga.households is None  # the 2022 preview counts people, not dwellings
    assert float(ibitinga.latitude) == pytest.approx(-21.76, abs=0.01)
    assert float(ibitinga.longitude) == pytest.approx(-48.83, abs=0.01)
    assert not municipalities.filter(latitude__isnull=True).exists()
    again = load_brazil_reference()
    assert again["municipalities_created"] == again["municipalities_updated"] == 0


@pytest.mark.django_db
def test_command_loads_brazil_and_both(capsys):
    call_command("load_territories", "--country", "BR")
    assert "Brazil: 27 states (27 created, 0 updated), 5570 municipalities (5570 created" in capsys.readouterr().out
    call_command("load_territories", "--country", "all")
    out = capsys.readouterr().out
    assert "Mexico: 32 states (32 created" in out and "Brazil: 27 states (0 created, 0 updated)" in out
    with pytest.raises(CommandError, match="no packaged data for CO"):
        call_command("load_territories", "--country", "CO")


def test_brazil_states_geometry_is_packaged():
    data = json.loads(states_geometry_file("BR").read_text(encoding="utf-8"))
    assert len(data["features"]) == 27
    assert {f["properties"]["codigo_ibg"] for f in data["features"]} >= {"35", "53"}


COLOMBIA_CSV = """state_code,state_name,municipality_code,municipality_name,population,households,latitude,longitude
05,Antioquia,05001,Medellín,2427129,810000,6.2442,-75.5812
05,Antioquia,05002,Abejorral,20367,,5.7893,-75.4285
76,Valle del Cauca,76001,Cali,2227642,700000,3.4516,-76.5320
"""


def _square(code):
    return {"type": "Feature", "properties": {"DPTO": code},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}}


@pytest.fixture
def colombia(tmp_path):
    (tmp_path / "co.csv").write_text(COLOMBIA_CSV, encoding="utf-8")
    (tmp_path / "co.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": [_square(5), _square("76")]}), encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
def test_any_country_loads_from_a_csv_and_a_geojson(colombia, settings, capsys):
    settings.DATA_DIR = colombia / "data"
    call_command("load_territories", "--country", "CO", "--name", "Colombia", "--currency", "cop",
                 "--csv", str(colombia / "co.csv"), "--geojson", str(colombia / "co.geojson"),
                 "--code-property", "DPTO", "--source", "DANE CNPV 2018")
    assert "CO: 2 states (2 created, 0 updated), 3 municipalities (3 created, 0 updated)" in capsys.readouterr().out
    co = Country.objects.get(code="CO")
    assert co.currency == "COP"
    antioquia = AdministrativeArea.objects.get(country=co, level=STATE, code="05")
    assert antioquia.population == 2427129 + 20367
    assert antioquia.households is None  # one municipality has no dwellings: no state total
    medellin = AdministrativeArea.objects.get(country=co, code="05001")
    assert medellin.parent == antioquia and medellin.source == "DANE CNPV 2018"
    geometry = json.loads(states_geometry_file("CO").read_text(encoding="utf-8"))
    assert [f["properties"]["state_code"] for f in geometry["features"]] == ["05", "76"]


@pytest.mark.django_db
def test_generic_load_dry_run_writes_nothing(colombia, settings, capsys):
    settings.DATA_DIR = colombia / "data"
    call_command("load_territories", "--country", "CO", "--name", "Colombia", "--currency", "COP",
                 "--csv", str(colombia / "co.csv"), "--geojson", str(colombia / "co.geojson"),
                 "--code-property", "DPTO", "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Country.objects.filter(code="CO").exists()
    assert states_geometry_file("CO") is None


def test_bad_rows_are_named_by_line_and_column(tmp_path):
    (tmp_path / "bad.csv").write_text(
        "state_code,state_name,municipality_code,municipality_name,population,latitude,longitude\n"
        "05,Antioquia,05001,Medellín,many,6.2,-75.5\n"
        "05,Antióquia,05001,,12.5,95,\n", encoding="utf-8")
    with pytest.raises(TerritoryFileError) as err:
        read_reference_csv(tmp_path / "bad.csv")
    assert err.value.problems == [
        "line 2: population 'many' is not a number",
        "line 3: municipality_name is empty",
        "line 3: population 12.5 is not a whole number",
        "line 3: latitude 95 is out of range",
        "line 3: latitude and longitude go together",
        "line 3: municipality_code 05001 repeats line 2",
        "line 3: state 05 is named 'Antióquia', elsewhere 'Antioquia'",
    ]
    (tmp_path / "nohead.csv").write_text("code,name\n1,a\n", encoding="utf-8")
    with pytest.raises(TerritoryFileError, match="missing required column"):
        read_reference_csv(tmp_path / "nohead.csv")


@pytest.mark.django_db
def test_geojson_must_cover_every_state_with_known_codes(colombia, settings):
    settings.DATA_DIR = colombia / "data"
    (colombia / "co.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": [_square(5), _square(99)]}), encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("load_territories", "--country", "CO", "--name", "Colombia", "--currency", "COP",
                     "--csv", str(colombia / "co.csv"), "--geojson", str(colombia / "co.geojson"),
                     "--code-property", "DPTO")
    assert "feature 1: DPTO 99 is not a state code of the CSV" in str(err.value)
    assert "state 76 has no feature" in str(err.value)
    assert not Country.objects.filter(code="CO").exists()
