"""The overview's figures from the monthly roll-ups (aldea.outcomes.rollups) against the live
records: equal before and after writes through the service, the API and an import; bounded
queries for the costliest scopes; the "as of" line."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aldea.accounts.models import Role
from aldea.outcomes.models import OutcomeRecord, OutcomeRollup
from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.outcomes.services import (
    delete_outcome_record,
    record_monthly_outcome,
    save_outcome_record,
)
from aldea.programmes.models import Indicator
from aldea.reporting.indicators.templates import apply_template
from aldea.reporting.indicators.values import indicator_values
from aldea.workspace.figures.overview import programme_overview
from tests import factories as f
from tests.conftest import make_persona

TODAY = datetime.date(2025, 12, 15)
MONTHS = [datetime.date(2025, m, 1) for m in range(1, 13)]
DEGREES = ["muy_bajo", "medio", "alto", "muy_alto", ""]


@pytest.fixture
def demo_like(world):
    """Like the demo, in small: three villages of ``main`` in municipalities of several
    marginalisation degrees, participant MSMEs with owners of each sex, age and language (and
    some without an owner or a birth year), comparison MSMEs outside the villages, twelve months
    of varied results with gaps, and the standard indicators. ``other`` has its own records."""
    programme = world.programme
    third = f.VillageFactory(programme=programme, slug="tercera")
    villages = [world.village, world.second_village, third]
    for village, degree in zip(villages, DEGREES, strict=False):
        village.municipality.marginalisation_degree = degree
        village.municipality.save()
    sexes = itertools.cycle(["female", "male", "other", "undisclosed"])
    birth_years = itertools.cycle([1950, 1968, 1979, 1988, 1999, 2003, None])
    msmes = [world.owned_msme, world.village_msme, world.second_village_msme]
    for n in range(18):
        village = villages[n % 3]
        owner = None if n % 7 == 0 else f.PersonFactory(
            sex=next(sexes), birth_year=next(birth_years), speaks_indigenous_language=n % 3 == 1)
        msmes.append(f.EnterpriseFactory(village=village, owner=owner, employees=n % 4))
    for n in range(6):
        municipality = f.MunicipalityFactory(marginalisation_degree=DEGREES[n % 5])
        msmes.append(f.EnterpriseFactory(
            village=None, programme=programme, municipality=municipality, group="comparison",
            owner=f.PersonFactory(sex=next(sexes), birth_year=next(birth_years))))
    for i, msme in enumerate(msmes):
        for j, month in enumerate(MONTHS):
            if (i + j) % 5 == 0:
                continue  # not every MSME reports every month
            total = Decimal(1000 + 37 * i + 11 * j)
            f.OutcomeRecordFactory(
                enterprise=msme, month=month, total_sales=total, online_sales=(total * (i % 4) / 4).quantize(Decimal("0.01")),
                orders=i + j, units=2 * i + j, employees=None if (i * j) % 6 == 1 else (i + j) % 9,
                export_markets=(i + j) % 3 == 0,
            )
    f.OutcomeRecordFactory(enterprise=world.other_msme, month=MONTHS[3], online_sales=Decimal(999), total_sales=Decimal(999))
    apply_template(programme, "digital-villages")
    # A consultant who also serves an MSME in another village, and also sits for a partner: both
    # the roll-ups of his village and the live records of that MSME are his.
    both = make_persona(Role.CONSULTANT, programme, village=world.village, username="both")
    f.MembershipFactory(person=both.person, role=Role.PARTNER, programme=programme, village=world.village,
                        organisation=world.host)
    f.EngagementFactory(enterprise=world.second_village_msme, consultant=both.person)
    world.consultant_partner = both
    world.other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    return world


def figures(user, programme):
    """What the overview shows that comes from outcome records: monthly sales and the tiles."""
    data = programme_overview(user, programme, today=TODAY)
    return (
        {"months": data.sales.months, "totals": data.sales.totals, "reporting": data.sales.reporting},
        {tile.key: (tile.value, tile.period) for tile in data.tiles},
        data.sales.as_of,
    )


def live_figures(user, programme):
    """The same figures with no roll-ups (the live query), leaving the roll-ups as they were."""
    kept = list(OutcomeRollup.objects.all())
    OutcomeRollup.objects.all().delete()
    try:
        sales, tiles, as_of = figures(user, programme)
        assert as_of is None
        return sales, tiles
    finally:
        OutcomeRollup.objects.bulk_create(kept)


VIEWERS = ["manager", "analyst", "partner", "consultant_partner", "other_manager"]


def programme_of(world, viewer):
    return world.other if viewer == "other_manager" else world.programme


@pytest.mark.parametrize("viewer", VIEWERS)
def test_overview_figures_from_rollups_equal_the_live_query(demo_like, viewer):
    user, programme = getattr(demo_like, viewer), programme_of(demo_like, viewer)
    live = figures(user, programme)
    assert live[2] is None and live[0]["months"]

    rebuild_outcome_rollups()
    sales, tiles, as_of = figures(user, programme)

    assert as_of is not None
    assert sales == live[0]
    assert tiles == live[1]
    assert programme == demo_like.other or tiles["ventas-en-linea"][0] > 0


@pytest.mark.parametrize("viewer", VIEWERS)
def test_rollups_follow_edits_through_the_service_and_the_api(demo_like, viewer, api_client_for):
    w = demo_like
    rebuild_outcome_rollups()
    user, programme = getattr(w, viewer), programme_of(w, viewer)
    built_at = OutcomeRollup.objects.filter(programme=programme).order_by("computed_at").first().computed_at
    # A changed figure, a new month, a record moved to another month, a deleted record.
    record_monthly_outcome(enterprise=w.village_msme, month=MONTHS[4], values={"online_sales": Decimal(4321),
                           "total_sales": Decimal(9000), "employees": 7}, user=w.manager)
    record_monthly_outcome(enterprise=w.second_village_msme, month=datetime.date(2024, 12, 1),
                           values={"online_sales": Decimal(50), "total_sales": Decimal(60)}, user=w.manager)
    moved = OutcomeRecord.objects.filter(enterprise__group="comparison", month=MONTHS[7]).first()
    save_outcome_record(record=moved, values={"month": datetime.date(2024, 11, 1)}, user=w.manager)
    delete_outcome_record(record=OutcomeRecord.objects.filter(enterprise=w.owned_msme).first(), user=w.manager)
    response = api_client_for(w.manager).post("/api/outcome-records/", {
        "enterprise": w.owned_msme.code, "month": "2024-10-01", "total_sales": "700.00", "online_sales": "300.00",
    }, format="json")
    assert response.status_code == 201, response.content

    sales, tiles, as_of = figures(user, programme)
    assert (sales, tiles) == live_figures(user, programme)
    assert as_of == built_at  # the oldest roll-up: the last rebuild


def test_a_refresh_leaves_the_rollups_a_rebuild_would_write(demo_like):
    w = demo_like
    rebuild_outcome_rollups()
    record_monthly_outcome(enterprise=w.village_msme, month=MONTHS[2], values={"online_sales": Decimal(1),
                           "total_sales": Decimal(2)}, user=w.manager)
    delete_outcome_record(record=OutcomeRecord.objects.filter(enterprise=w.second_village_msme).last(), user=w.manager)

    def rows():
        return sorted(OutcomeRollup.objects.values_list(
            "programme_id", "village_id", "month", "group", "sex", "age_band", "speaks_indigenous_language",
            "marginalisation_degree", "records", "online_sales", "total_sales", "orders", "units", "employees",
            "exporting",
        ), key=repr)

    refreshed = rows()
    rebuild_outcome_rollups()
    assert refreshed == rows()


def test_an_import_refreshes_the_rollups(demo_like, tmp_path):
    from aldea.interop.importers.base import run_import
    from aldea.interop.importers.registries import OutcomeImporter

    w = demo_like
    rebuild_outcome_rollups()
    path = tmp_path / "outcomes.csv"
    path.write_text(f"empresa,mes,ventas_totales,ventas_en_linea\n{w.village_msme.code},2025-03,5000,4000\n"
                    f"{w.owned_msme.code},2024-09,80,10\n")
    report = run_import(OutcomeImporter(user=w.manager), path)
    assert report.written == 2, report.summary()
    assert figures(w.manager, w.programme)[:2] == live_figures(w.manager, w.programme)


@pytest.mark.parametrize("by", ["village", "sex", "indigenous", "marginalisation", "age_band"])
def test_indicator_values_by_disaggregation_agree_with_the_live_query(demo_like, by):
    indicators = Indicator.objects.filter(programme=demo_like.programme, code__in=["ventas-en-linea", "empleos"])
    assert len(indicators) == 2

    def values():
        return {i.code: indicator_values(i, start=MONTHS[0], end=MONTHS[-1], by=by) for i in indicators}

    live = values()
    rebuild_outcome_rollups()
    assert values() == live
    assert len(live["ventas-en-linea"]) > 1


def test_a_programme_without_rollups_gets_none_from_a_write(demo_like):
    record_monthly_outcome(enterprise=demo_like.village_msme, month=MONTHS[4],
                           values={"online_sales": Decimal(1), "total_sales": Decimal(1)}, user=demo_like.manager)
    # Roll-ups of one village's month alone would show a fraction of the programme as the whole.
    assert not OutcomeRollup.objects.exists()


def test_the_rebuild_command_and_the_analytics_run_build_the_rollups(demo_like, capsys):
    call_command("rebuild_rollups", programme="main")
    assert "main:" in capsys.readouterr().out
    assert OutcomeRollup.objects.filter(programme=demo_like.programme).exists()
    assert not OutcomeRollup.objects.filter(programme=demo_like.other).exists()


@pytest.mark.parametrize("viewer", ["manager", "partner", "consultant_partner", "consultant"])
def test_the_overview_needs_at_most_15_queries(demo_like, viewer, client, django_assert_max_num_queries):
    rebuild_outcome_rollups()
    client.force_login(getattr(demo_like, viewer))
    url = reverse("workspace:overview") + "?programme=main"
    client.get(url)  # sessions and caches warm, as on a user's second page
    with django_assert_max_num_queries(15):
        response = client.get(url)
    # A consultant alone has no overview (his home is the MSME list); the answer stays cheap.
    assert response.status_code == (403 if viewer == "consultant" else 200)


@pytest.mark.parametrize(("language", "words"), [
    ("es", "Ventas y empleos al"), ("pt-br", "Vendas e empregos em"), ("en", "Sales and jobs as of"),
])
def test_the_overview_says_how_fresh_its_figures_are(demo_like, client, settings, language, words):
    settings.LANGUAGE_CODE = language
    client.force_login(demo_like.manager)
    url = reverse("workspace:overview") + "?programme=main"
    live = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    rebuild_outcome_rollups()
    built = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words not in live and "data-freshness" in live
    assert words in built
    assert f"{timezone.localtime().year}" in built.split(words)[1][:60]
