import gzip

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from aldea.territories.models import AdministrativeArea, Country
from aldea.territories.services import (
    DATA_DIR,
    MEXICO_MUNICIPALITIES_FILE,
    is_mexico_reference_loaded,
    load_mexico_reference,
)

pytestmark = pytest.mark.django_db

MUNICIPALITY = AdministrativeArea.Level.MUNICIPALITY
STATE = AdministrativeArea.Level.STATE


@pytest.fixture
def loaded():
    return load_mexico_reference()


def test_first_load_creates_mexico_with_32_states_and_2469_municipalities(loaded):
    assert loaded["country_created"] == 1
    assert loaded["states_created"] == 32
    assert loaded["municipalities_created"] == 2469
    mexico = Country.objects.get(code="MX")
    assert (mexico.name, mexico.currency) == ("México", "MXN")
    assert AdministrativeArea.objects.filter(country=mexico, level=STATE).count() == 32
    assert AdministrativeArea.objects.filter(country=mexico, level=MUNICIPALITY).count() == 2469
    assert is_mexico_reference_loaded()


def test_municipal_population_sums_to_the_2020_census_total(loaded):
    municipalities = AdministrativeArea.objects.filter(level=MUNICIPALITY)
    totals = municipalities.aggregate(population=Sum("population"), households=Sum("households"))
    assert totals == {"population": 126_014_024, "households": 35_233_462}
    # States carry the sums of their municipalities.
    assert AdministrativeArea.objects.filter(level=STATE).aggregate(p=Sum("population"))["p"] == 126_014_024


def test_conapo_degree_counts_match_the_published_classes(loaded):
    counts = dict(
        AdministrativeArea.objects.filter(level=MUNICIPALITY)
        .values_list("marginalisation_degree")
        .annotate(n=Count("id"))
    )
    assert counts == {"muy_bajo": 655, "bajo": 530, "medio": 494, "alto": 586, "muy_alto": 204}


def test_municipalities_hang_from_their_state_by_code(loaded):
    teotitlan = AdministrativeArea.objects.select_related("parent").get(level=MUNICIPALITY, code="20546")
    assert teotitlan.name == "Teotitlán del Valle"
    assert teotitlan.parent.code == "20" and teotitlan.parent.name == "Oaxaca"
    assert teotitlan.population == 6392
    assert teotitlan.marginalisation_degree == "alto"
    assert teotitlan.marginalisation_index == pytest.approx(52.5, abs=2)
    mismatched = [
        a.code for a in AdministrativeArea.objects.filter(level=MUNICIPALITY).select_related("parent")
        if a.parent.code != a.code[:2]
    ]
    assert mismatched == []


def test_municipalities_created_after_2020_are_not_loaded(loaded):
    assert not AdministrativeArea.objects.filter(code__in=["02007", "04013", "12083", "25020"]).exists()


def test_second_load_changes_nothing(loaded):
    before = sorted(AdministrativeArea.objects.values_list("id", "code", "population", "marginalisation_index"))
    again = load_mexico_reference()
    assert again["country_created"] == 0
    assert again["states_created"] == again["states_updated"] == 0
    assert again["municipalities_created"] == again["municipalities_updated"] == 0
    after = sorted(AdministrativeArea.objects.values_list("id", "code", "population", "marginalisation_index"))
    assert after == before


def test_reload_repairs_an_edited_municipality(loaded):
    AdministrativeArea.objects.filter(code="20546", level=MUNICIPALITY).update(population=1)
    again = load_mexico_reference()
    assert again["municipalities_updated"] == 1
    assert AdministrativeArea.objects.get(code="20546", level=MUNICIPALITY).population == 6392


def test_load_territories_command_reports_counts(capsys):
    call_command("load_territories")
    out = capsys.readouterr().out
    assert "2469 municipalities (2469 created" in out
    call_command("load_territories")
    assert "2469 municipalities (0 created, 0 updated)" in capsys.readouterr().out


def test_packaged_files_ship_with_attribution():
    with gzip.open(MEXICO_MUNICIPALITIES_FILE, "rt", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 2469 + 1
    attribution = (DATA_DIR / "ATTRIBUTION.txt").read_text(encoding="utf-8")
    assert "INEGI" in attribution and "CONAPO" in attribution
    assert (DATA_DIR / "mexico_states.geojson").stat().st_size > 0
    assert (DATA_DIR / "mexico_municipalities_2436.geojson").stat().st_size > 0


def test_load_territories_dry_run_writes_nothing(capsys):
    call_command("load_territories", "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not AdministrativeArea.objects.exists()
