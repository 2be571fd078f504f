"""Small, real-looking reference data for the interop tests (no settings changes here)."""

import datetime
import sys
from pathlib import Path

import pytest

from aldea.programmes.models import Programme, Village
from aldea.territories.models import AdministrativeArea, Country, Locality

# Helpers shared by the test modules (pytest runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def territory(db):
    mexico = Country.objects.create(code="MX", name="México", currency="MXN")
    oaxaca = AdministrativeArea.objects.create(country=mexico, level="state", code="20", name="Oaxaca")
    teotitlan = AdministrativeArea.objects.create(
        country=mexico, level="municipality", code="20546", name="Teotitlán del Valle", parent=oaxaca
    )
    arrazola = AdministrativeArea.objects.create(
        country=mexico, level="municipality", code="20553", name="San Antonio Arrazola", parent=oaxaca
    )
    Locality.objects.create(
        municipality=teotitlan, code="205460001", name="Teotitlán del Valle", population=5637, is_rural=False,
        latitude="17.029167", longitude="-96.519722",
    )
    Locality.objects.create(municipality=arrazola, code="205530001", name="San Antonio Arrazola", population=1117, is_rural=True)
    return {"mexico": mexico, "oaxaca": oaxaca, "teotitlan": teotitlan, "arrazola": arrazola}


@pytest.fixture
def programme(territory):
    programme = Programme.objects.create(
        slug="aldeas-oaxaca", name="Aldeas digitales Oaxaca", country=territory["mexico"], currency="MXN",
        starts_on=datetime.date(2024, 1, 1), status="active", description="Comercio electrónico para pueblos artesanos.",
        iati_identifier="XM-DAC-41301-ALDEA-OAX",
    )
    Village.objects.create(
        programme=programme, slug="teotitlan", name="Teotitlán del Valle", municipality=territory["teotitlan"],
        speciality="Tapetes de lana", status="active", launched_on=datetime.date(2024, 3, 1),
    )
    Village.objects.create(
        programme=programme, slug="arrazola", name="San Antonio Arrazola", municipality=territory["arrazola"],
        speciality="Alebrijes", status="active", launched_on=datetime.date(2024, 3, 1),
    )
    return programme


def write_text(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path
