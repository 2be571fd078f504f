import datetime

import pytest

from aldea.enterprises.models import Enterprise
from aldea.programmes.models import Programme, Village
from aldea.territories.models import AdministrativeArea, Country


@pytest.fixture
def enterprise(db):
    mexico = Country.objects.create(code="MX", name="México", currency="MXN")
    oaxaca = AdministrativeArea.objects.create(country=mexico, level="state", code="20", name="Oaxaca")
    teotitlan = AdministrativeArea.objects.create(
        country=mexico, level="municipality", code="20546", name="Teotitlán del Valle", parent=oaxaca
    )
    programme = Programme.objects.create(
        slug="p", name="P", country=mexico, currency="MXN", starts_on=datetime.date(2024, 1, 1)
    )
    village = Village.objects.create(
        programme=programme, slug="teotitlan", name="Teotitlán", municipality=teotitlan, speciality="tapetes"
    )
    return Enterprise.objects.create(
        programme=programme, village=village, code="e1", name="Tapetes Ruiz", municipality=teotitlan,
        sector="textiles",
    )
