import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aldea.accounts.queries import sees_whole
from aldea.enterprises.queries import enterprises_visible_to
from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.programmes.models import Village, VillageStatusChange
from aldea.workspace.figures import overview as figures
from tests import factories as f
from tests.web.programmes.builders import grow, small_programme

LIST = reverse("workspace:villages")
pytestmark = pytest.mark.django_db


def page(village):
    return reverse("workspace:village", args=[village.slug])


def status_url(village):
    return reverse("workspace:village_status", args=[village.slug])


# --- the list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "staff"]
)
def test_village_list_opens_for_every_role(world, login, name):
    assert login(getattr(world, name)).get(LIST).status_code == 200


def test_village_list_needs_a_login(world, login):
    response = login(None).get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_village_list_is_scoped(world, login):
    slugs = {v.slug for v in login(world.manager).get(LIST).context["villages"]}
    assert slugs == {world.village.slug, world.second_village.slug}
    slugs = {v.slug for v in login(world.trainer).get(LIST).context["villages"]}
    assert slugs == {world.village.slug}
    slugs = {v.slug for v in login(world.outsider).get(LIST).context["villages"]}
    assert slugs == {world.other_village.slug}


def test_village_list_counts_participants_against_the_target(world, login):
    small_programme(world)
    rows = {v.slug: v for v in login(world.manager).get(LIST).context["villages"]}
    # owned + village MSME + a, b, c
    assert rows[world.village.slug].msmes == 5
    assert rows[world.village.slug].progress == 10  # 5 of 50


def test_village_list_query_count_does_not_grow(world, login):
    client = login(world.manager)
    grow(world, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    grow(world, 5)
    with CaptureQueriesContext(connection) as large:
        client.get(LIST)
    assert len(small) == len(large) <= 15


# --- one village ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "staff"]
)
def test_village_page_opens_for_everyone_who_sees_the_village(world, login, name):
    assert login(getattr(world, name)).get(page(world.village)).status_code == 200


def test_village_page_needs_a_login(world, login):
    assert login(None).get(page(world.village)).status_code == 302


@pytest.mark.parametrize("name", ["outsider", "trainer", "partner"])
def test_village_out_of_scope_is_not_found(world, login, name):
    village = world.village if name == "outsider" else world.second_village
    assert login(getattr(world, name)).get(page(village)).status_code == 404


def test_village_page_shows_progress_cascade_and_sales(world, login):
    msmes = small_programme(world)
    # The cascade: the trainer trained a consultant cohort in which the consultant enrolled.
    cohort = f.CohortFactory(
        course=f.CourseFactory(programme=world.programme),
        village=world.village,
        trainers=[world.trainer.person],
    )
    f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
    response = login(world.manager).get(page(world.village))
    context = response.context
    assert context["progress"] == figures.msme_progress(world.village.enterprises.all())
    assert context["progress"]["participants"] == 5
    assert context["target_percent"] == 10
    assert (
        context["cascade"].trainer_count,
        context["cascade"].consultant_count,
        context["cascade"].msme_count,
    ) == (1, 1, 2)
    assert context["cascade"].trainers[0].msmes == 2
    assert context["sales_total"] == 700
    assert {m.code for m in context["msmes"]} >= {msmes["a"].code, msmes["c"].code}
    content = response.content.decode()
    assert "village-cascade" in content and "village-sales" in content
    assert cohort.code in content


def test_a_village_with_many_cohorts_and_trainers_shows_the_latest_and_the_most_reaching(world, login):
    import datetime

    from aldea.workspace.views.villages import COHORTS_SHOWN, TRAINERS_SHOWN

    small_programme(world)
    course = f.CourseFactory(programme=world.programme, level="consultant")
    cohorts = []
    for n in range(COHORTS_SHOWN + 5):
        cohort = f.CohortFactory(course=course, village=world.village, trainers=[f.PersonFactory()],
                                 starts_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
        f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
        cohorts.append(cohort)
    response = login(world.manager).get(page(world.village))
    context, content = response.context, response.content.decode()
    assert [c.code for c in context["cohorts"]] == [c.code for c in reversed(cohorts)][:COHORTS_SHOWN]
    total = world.village.cohorts.count()  # with those of small_programme
    assert context["cohort_count"] == total > COHORTS_SHOWN + 4
    assert f"The latest {COHORTS_SHOWN}, of {total} cohorts." in content
    assert cohorts[0].code not in content
    assert context["cascade"].trainer_count == COHORTS_SHOWN + 5
    assert len(context["trainers_shown"]) == TRAINERS_SHOWN
    assert f"The {TRAINERS_SHOWN} who reached most MSMEs, of {COHORTS_SHOWN + 5} trainers." in content


def test_village_page_counts_the_cascade_as_the_links_do(world, login):
    small_programme(world)
    course = f.CourseFactory(programme=world.programme, level="consultant")
    second_trainer = f.PersonFactory(given_name="Beatriz", family_name="Zárate")
    one = f.CohortFactory(course=course, village=world.village, trainers=[world.trainer.person, second_trainer])
    two = f.CohortFactory(course=course, village=world.second_village, trainers=[world.trainer.person])
    colleague = f.PersonFactory()
    f.EnrolmentFactory(cohort=one, person=world.consultant.person)
    f.EnrolmentFactory(cohort=two, person=world.consultant.person)
    f.EnrolmentFactory(cohort=two, person=colleague)
    f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=colleague)
    for name in ("manager", "consultant"):
        user = getattr(world, name)
        context = login(user).get(page(world.village)).context
        visible = enterprises_visible_to(user).filter(village=world.village)
        expected = figures.village_cascade(
            world.village, enterprises=None if sees_whole(user, world.programme.id) else visible
        )
        assert context["cascade"] == expected, name
        assert expected.trainer_count == 2 and expected.consultant_count == 2


def test_village_page_reads_its_sales_from_the_rollups_when_built(world, login):
    small_programme(world)
    client = login(world.manager)
    live = client.get(page(world.village)).context
    assert live["sales"].as_of is None
    rebuild_outcome_rollups()
    built = client.get(page(world.village))
    sales = built.context["sales"]
    assert sales.as_of is not None and built.context["sales_total"] == live["sales_total"] == 700
    assert (sales.months, sales.totals) == (live["sales"].months, live["sales"].totals)
    assert "data-freshness" in built.content.decode()


def test_village_page_lists_status_history_and_partners(world, login):
    f.VillageStatusChangeFactory(village=world.village, note="Kick-off with the host university")
    content = login(world.analyst).get(page(world.village)).content.decode()
    assert "Kick-off with the host university" in content
    assert world.host.name in content


def test_only_managers_see_the_status_form(world, login):
    assert login(world.manager).get(page(world.village)).context["status_form"] is not None
    assert login(world.analyst).get(page(world.village)).context["status_form"] is None


def test_manager_moves_a_village_along_its_lifecycle(world, login):
    candidate = f.VillageFactory(programme=world.programme, status="candidate", launched_on=None)
    response = login(world.manager).post(
        status_url(candidate), {"to_status": "selected", "note": "Chosen"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "selected"
    change = VillageStatusChange.objects.get(village=candidate)
    assert (change.from_status, change.to_status, change.note) == (
        "candidate",
        "selected",
        "Chosen",
    )


def test_htmx_status_change_redirects_the_page(world, login):
    candidate = f.VillageFactory(programme=world.programme, status="candidate", launched_on=None)
    response = login(world.manager).post(
        status_url(candidate), {"to_status": "selected"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == page(candidate)


def test_a_move_the_lifecycle_forbids_shows_an_error_and_writes_nothing(world, login):
    response = login(world.manager).post(status_url(world.village), {"to_status": "candidate"})
    assert response.status_code == 400
    assert response.context["status_form"].errors["to_status"]
    world.village.refresh_from_db()
    assert world.village.status == "active"
    assert not VillageStatusChange.objects.filter(village=world.village).exists()


def test_htmx_bad_status_returns_the_form_with_errors(world, login):
    response = login(world.manager).post(
        status_url(world.village), {"to_status": "nonsense"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not VillageStatusChange.objects.exists()


@pytest.mark.parametrize("name", ["analyst", "partner", "trainer", "consultant"])
def test_read_only_roles_cannot_change_the_status(world, login, name):
    response = login(getattr(world, name)).post(
        status_url(world.village), {"to_status": "graduated"}
    )
    assert response.status_code == 403
    assert Village.objects.get(pk=world.village.pk).status == "active"


def test_outsider_cannot_change_another_programmes_village(world, login):
    assert (
        login(world.outsider)
        .post(status_url(world.village), {"to_status": "graduated"})
        .status_code
        == 404
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("name", ["manager", "partner"])
def test_village_page_query_count_does_not_grow(world, login, name):
    small_programme(world)
    client = login(getattr(world, name))
    grow(world, 1)
    small = _queries(client, page(world.village))
    grow(world, 5)
    large = _queries(client, page(world.village))
    assert small == large <= 15
