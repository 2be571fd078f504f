"""The platform's cluster classification reads its own database in place, one country at a time.

The analytics open a connection of their own (aldea.core.databases.database_url), which sees
committed rows only: these tests commit (transaction=True). Run them on PostgreSQL too with
ALDEA_DATABASE_URL=postgres://...: there the whole detection runs in PostgreSQL.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from aldea.core.databases import DatabaseNotReachable, database_url
from aldea.reporting import clusters
from aldea.reporting.clusters import classify_municipalities
from aldea.reporting.tasks import compute_analytics
from aldea.territories.models import ClusterClassification
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _country(code, name, currency, state_code, codes):
    country = f.CountryFactory(code=code, name=name, currency=currency)
    state = f.StateFactory(country=country, code=state_code, name=f"State {code}")
    towns = [f.MunicipalityFactory(country=country, parent=state, code=c, name=f"Town {c}",
                                   households=h, population=4 * h) for c, h in codes]
    return country, towns


def _msmes(programme, town, n, currency):
    for i in range(n):
        msme = f.EnterpriseFactory(programme=programme, village=None, municipality=town, group="comparison",
                                   code=f"{town.code}-{i}")
        for month in range(1, 7):
            f.OutcomeRecordFactory(enterprise=msme, month=datetime.date(2025, month, 1), currency=currency,
                                   online_sales=Decimal(0 if month == 2 else 5000))


@pytest.fixture
def two_countries():
    """Mexico: a hamlet of 200 households with 12 online MSMEs, a city of 90,000 with 4, a town
    with none. Brazil (IBGE codes): the same shape. Each is its own nation for the rates."""
    mx, (mx_hamlet, mx_city, _mx_quiet) = _country("MX", "México", "MXN", "20",
                                                  [("20901", 200), ("20902", 90_000), ("20903", 3000)])
    br, (br_hamlet, br_city, _br_quiet) = _country("BR", "Brasil", "BRL", "35",
                                                  [("3519600", 200), ("3550308", 90_000), ("3500105", 3000)])
    mx_programme = f.ProgrammeFactory(country=mx, currency="MXN")
    br_programme = f.ProgrammeFactory(country=br, currency="BRL")
    _msmes(mx_programme, mx_hamlet, 12, "MXN")
    _msmes(mx_programme, mx_city, 4, "MXN")
    _msmes(br_programme, br_hamlet, 12, "BRL")
    _msmes(br_programme, br_city, 4, "BRL")
    return {"mx": mx_programme, "br": br_programme}


def test_each_country_is_classified_apart_from_the_database_in_place(two_countries):
    summary = classify_municipalities()
    assert set(summary["countries"]) == {"BR", "MX"}
    # 32 MSMEs x 5 months with online sales; none rejected for being of the other country.
    assert (summary["read"], summary["used"], summary["rejected"]) == (160, 160, 0)
    for code in ("MX", "BR"):
        assert summary["countries"][code]["used"] == 80
    stored = {c.area.code: c for c in ClusterClassification.objects.select_related("area__country")}
    assert set(stored) == {"20901", "20902", "3519600", "3550308"}  # municipalities with sellers
    assert stored["3519600"].area.country.code == "BR" and stored["3519600"].currency == "BRL"
    # Ranked by evidence, not size, within each country: the hamlet first, and it qualifies.
    for hamlet, city in (("20901", "20902"), ("3519600", "3550308")):
        assert stored[hamlet].rank == 1 and stored[hamlet].qualifies
        assert stored[city].rank == 2
        assert stored[hamlet].active_shops == 12
    # Six months of window data, turnover per year of window: 12 shops x 5 months x 5,000.
    assert float(stored["20901"].turnover) == pytest.approx(12 * 5 * 5000)
    assert summary["stored"] == 4 and summary["qualifying"] >= 2


def test_a_programmes_classification_covers_its_country_only(two_countries):
    summary = classify_municipalities(programme=two_countries["br"])
    assert set(summary["countries"]) == {"BR"} and summary["used"] == 80
    assert set(ClusterClassification.objects.values_list("area__country__code", flat=True)) == {"BR"}


def test_the_task_reads_the_platforms_database_not_pandas_frames(two_countries, monkeypatch):
    seen = []
    real = clusters.platform_inputs_in

    def spy(url, **filters):
        seen.append((url, filters))
        return real(url, **filters)

    monkeypatch.setattr(clusters, "platform_inputs_in", spy)
    compute_analytics.call()
    assert [filters["country_code"] for _url, filters in seen] == ["BR", "MX"]
    assert {url for url, _filters in seen} == {database_url()}
    assert ClusterClassification.objects.count() == 4


def test_the_database_url_names_the_database_django_uses():
    url = database_url()
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        assert url == f"sqlite:///{name}"
    else:
        assert url.startswith("postgresql://") and url.endswith(f"/{name}")


def test_an_in_memory_sqlite_database_is_refused_with_its_reason(monkeypatch):
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", ":memory:")
    with pytest.raises(DatabaseNotReachable, match="in a file, not in memory"):
        database_url()


def test_a_postgresql_url_carries_the_login_and_a_socket_directory(monkeypatch):
    from django.db import connections

    settings = connections["default"].settings_dict
    for key, value in {"ENGINE": "django.db.backends.postgresql", "NAME": "aldea", "USER": "ana",
                       "PASSWORD": "p@ss/word", "HOST": "db.internal", "PORT": "6432"}.items():
        monkeypatch.setitem(settings, key, value)
    assert database_url() == "postgresql://ana:p%40ss%2Fword@db.internal:6432/aldea"
    monkeypatch.setitem(settings, "HOST", "/var/run/postgresql")
    assert database_url() == "postgresql://ana:p%40ss%2Fword@/aldea?host=%2Fvar%2Frun%2Fpostgresql"


def test_an_empty_platform_stores_nothing_and_says_so():
    assert classify_municipalities() == {"read": 0, "used": 0, "rejected": 0, "stored": 0,
                                         "qualifying": 0, "countries": {}}
