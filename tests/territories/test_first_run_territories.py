"""A new database gets its reference territories from `aldea migrate` (aldea.territories.signals)."""

import io

import pytest
from django.core.management.sql import emit_post_migrate_signal

from aldea.territories import signals
from aldea.territories.models import AdministrativeArea, Country
from tests import factories as f


@pytest.fixture
def loading_on(settings):
    settings.LOAD_TERRITORIES_ON_MIGRATE = True


@pytest.fixture
def fake_loaders(monkeypatch):
    """Loaders that record their calls and create only the country, so these tests stay fast."""
    calls = []

    def loader(code):
        def load():
            calls.append(code)
            Country.objects.get_or_create(code=code, defaults={"name": code, "currency": "XXX"})
            return {"states": 0, "municipalities": 0}
        return load

    from aldea.territories import services

    monkeypatch.setattr(services, "load_mexico_reference", loader("MX"))
    monkeypatch.setattr(services, "load_brazil_reference", loader("BR"))
    return calls


@pytest.mark.django_db
def test_migrate_on_an_empty_country_table_loads_mexico_and_brazil(loading_on, fake_loaders):
    out = io.StringIO()
    emit_post_migrate_signal(1, False, "default", stdout=out)
    assert fake_loaders == ["MX", "BR"]
    assert set(Country.objects.values_list("code", flat=True)) == {"MX", "BR"}
    assert "Loaded reference territories MX" in out.getvalue()


@pytest.mark.django_db
def test_migrate_again_loads_nothing(loading_on, fake_loaders):
    emit_post_migrate_signal(0, False, "default")
    emit_post_migrate_signal(0, False, "default")
    assert fake_loaders == ["MX", "BR"]


@pytest.mark.django_db
def test_a_database_with_a_country_is_left_alone(loading_on, fake_loaders):
    f.CountryFactory(code="CO", name="Colombia")
    assert signals.load_reference_territories() == []
    assert fake_loaders == []


@pytest.mark.django_db
def test_the_setting_turns_the_first_run_load_off(settings, fake_loaders):
    settings.LOAD_TERRITORIES_ON_MIGRATE = False
    emit_post_migrate_signal(0, False, "default")
    assert fake_loaders == [] and not Country.objects.exists()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db
def test_the_real_first_run_load_fills_both_countries(loading_on):
    assert signals.load_reference_territories(verbosity=0) == ["MX", "BR"]
    municipalities = AdministrativeArea.objects.filter(level=AdministrativeArea.Level.MUNICIPALITY)
    assert municipalities.filter(country__code="MX").count() == 2469
    assert municipalities.filter(country__code="BR").count() == 5570
