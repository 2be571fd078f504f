"""The overview's counts kept as a snapshot for large views (aldea.workspace.figures.snapshots,
decision O17): equal to the live counts when taken, shown with their time, counted again by the
worker once old, one per scope, and never for small views."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aldea.accounts.models import Role
from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.workspace.figures.overview import programme_overview
from aldea.workspace.figures.snapshots import refresh_overview_snapshot
from aldea.workspace.models import OverviewSnapshot
from tests import factories as f
from tests.conftest import make_persona
from tests.web.workspace import test_overview_rollups as rollups

TODAY = rollups.TODAY
demo_like = rollups.demo_like  # the fixture: like the demo, in small


@pytest.fixture
def large(settings):
    """Every view counts as large: the demo-like programme has some twenty participants."""
    settings.OVERVIEW_SNAPSHOT_MSMES = 1
    settings.OVERVIEW_MAX_AGE = 300
    return settings


def shown(user, programme, today=TODAY):
    data = programme_overview(user, programme, today=today)
    return data.values, {t.key: (t.value, t.period) for t in data.tiles}, data.counts_as_of


def backdate(seconds: int):
    for snapshot in OverviewSnapshot.objects.all():
        OverviewSnapshot.objects.filter(pk=snapshot.pk).update(
            computed_at=snapshot.computed_at - datetime.timedelta(seconds=seconds))


def diagnose_another(world):
    """One more diagnosed MSME in the manager's programme (a write the counts must see)."""
    msme = f.EnterpriseFactory(village=world.village)
    f.EngagementFactory(enterprise=msme, consultant=world.consultant.person)


def test_a_small_view_is_counted_live_on_every_view(demo_like):
    values, _tiles, as_of = shown(demo_like.manager, demo_like.programme)
    diagnose_another(demo_like)
    after, _tiles, _as_of = shown(demo_like.manager, demo_like.programme)
    assert as_of is None and not OverviewSnapshot.objects.exists()
    assert after["msmes_diagnosed"] == values["msmes_diagnosed"] + 1


@pytest.mark.parametrize("viewer", ["manager", "partner", "consultant_partner"])
def test_a_snapshot_holds_exactly_the_live_counts(demo_like, large, viewer):
    rebuild_outcome_rollups()
    user = getattr(demo_like, viewer)
    large.OVERVIEW_SNAPSHOT_MSMES = 10**9
    live = shown(user, demo_like.programme)
    large.OVERVIEW_SNAPSHOT_MSMES = 1
    first = shown(user, demo_like.programme)  # counted, and kept
    kept = shown(user, demo_like.programme)  # read from the snapshot
    assert live[2] is None and first[2] is not None and kept[2] == first[2]
    assert live[:2] == first[:2] == kept[:2]
    assert OverviewSnapshot.objects.filter(programme=demo_like.programme).count() == 1


def test_a_fresh_snapshot_is_shown_as_it_is_until_it_is_old(demo_like, large, django_capture_on_commit_callbacks):
    before, _tiles, as_of = shown(demo_like.manager, demo_like.programme)
    diagnose_another(demo_like)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = shown(demo_like.manager, demo_like.programme)
    assert fresh[0] == before and fresh[2] == as_of
    assert not DBTaskResult.objects.exists()


def test_an_old_snapshot_is_still_shown_while_the_worker_counts_again_once(
        demo_like, large, django_capture_on_commit_callbacks):
    before, _tiles, _as_of = shown(demo_like.manager, demo_like.programme)
    diagnose_another(demo_like)
    backdate(301)
    with django_capture_on_commit_callbacks(execute=True):
        stale = shown(demo_like.manager, demo_like.programme)
        again = shown(demo_like.manager, demo_like.programme)
    assert stale[0] == before and again[0] == before
    task = DBTaskResult.objects.get()  # one refresh asked for, not one per view
    assert task.task_path == "aldea.workspace.figures.snapshots.refresh_overview_snapshot"
    assert task.args_kwargs["args"] == [demo_like.programme.pk, "whole"]
    assert refresh_overview_snapshot.call(*task.args_kwargs["args"]) is True
    values, _tiles, refreshed_at = shown(demo_like.manager, demo_like.programme, today=timezone.localdate())
    assert values["msmes_diagnosed"] == before["msmes_diagnosed"] + 1 and refreshed_at > stale[2]


def test_a_snapshot_of_another_day_is_counted_again(demo_like, large, django_capture_on_commit_callbacks):
    shown(demo_like.manager, demo_like.programme)
    with django_capture_on_commit_callbacks(execute=True):
        shown(demo_like.manager, demo_like.programme, today=TODAY + datetime.timedelta(days=1))
    assert DBTaskResult.objects.count() == 1


def test_each_scope_has_its_own_snapshot_and_a_second_programme_never_reads_it(demo_like, large):
    shown(demo_like.manager, demo_like.programme)
    partner_values, _tiles, _as_of = shown(demo_like.partner, demo_like.programme)
    other_values, _tiles, _as_of = shown(demo_like.other_manager, demo_like.other)
    manager_values, _tiles, _as_of = shown(demo_like.manager, demo_like.programme)
    scopes = set(OverviewSnapshot.objects.values_list("programme__slug", "scope"))
    assert scopes == {("main", "whole"), ("main", f"user:{demo_like.partner.pk}"), (demo_like.other.slug, "whole")}
    assert partner_values["participants"] < manager_values["participants"]
    assert other_values["participants"] != manager_values["participants"]


def test_a_person_with_roles_in_two_programmes_has_a_scope_in_each(demo_like, large):
    # A partner in the main programme who manages the second one.
    person = make_persona(Role.PARTNER, demo_like.programme, village=demo_like.village, organisation=demo_like.host,
                          username="two-hats")
    f.MembershipFactory(person=person.person, role=Role.MANAGER, programme=demo_like.other)
    in_main, _tiles, _as_of = shown(person, demo_like.programme)
    in_other, _tiles, _as_of = shown(person, demo_like.other)
    scopes = set(OverviewSnapshot.objects.values_list("programme__slug", "scope"))
    assert scopes == {("main", f"user:{person.pk}"), (demo_like.other.slug, "whole")}
    assert in_main["participants"] != in_other["participants"]


def test_the_page_says_when_its_counts_were_taken_in_each_language(demo_like, large, client, settings):
    client.force_login(demo_like.manager)
    url = reverse("workspace:overview") + "?programme=main"
    for language, words in [("es", "Conteos e indicadores al"), ("pt-br", "Contagens e indicadores em"),
                            ("en", "Counts and indicators as of")]:
        settings.LANGUAGE_CODE = language
        body = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert words in body and "5" in body.split(words)[1][:220]


def test_a_snapshot_makes_the_overview_cheaper(demo_like, large, client, django_assert_max_num_queries):
    rebuild_outcome_rollups()
    client.force_login(demo_like.manager)
    url = reverse("workspace:overview") + "?programme=main"
    client.get(url)  # counted and kept
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_refresh_for_a_user_who_is_gone_drops_the_snapshot(demo_like, large):
    shown(demo_like.partner, demo_like.programme)
    scope = f"user:{demo_like.partner.pk}"
    demo_like.partner.delete()
    assert refresh_overview_snapshot.call(demo_like.programme.pk, scope) is False
    assert not OverviewSnapshot.objects.filter(scope=scope).exists()


def test_the_command_counts_the_whole_view_of_large_programmes_and_villages(demo_like, large, capsys):
    large.OVERVIEW_SNAPSHOT_MSMES = 7  # the programme and its two larger villages, not the third
    sizes = {v.pk: v.enterprises.filter(group="participant").count() for v in demo_like.programme.villages.all()}
    large_villages = sorted(pk for pk, n in sizes.items() if n >= 7)
    assert 0 < len(large_villages) < len(sizes)
    call_command("refresh_overviews", "--programme", "main")
    scopes = sorted(["whole"] + [f"village:{pk}" for pk in large_villages])
    assert f"main: {len(scopes)} overview snapshots ({', '.join(scopes)})" in capsys.readouterr().out
    assert sorted(OverviewSnapshot.objects.values_list("scope", flat=True)) == scopes


# --- the village page keeps its counts the same way --------------------------------------------


def village_page(client, village):
    return client.get(reverse("workspace:village", args=[village.slug])).context


@pytest.mark.parametrize("viewer", ["manager", "partner", "consultant"])
def test_a_large_villages_kept_counts_equal_its_live_counts_for_each_viewer(demo_like, large, login, viewer):
    client = login(getattr(demo_like, viewer))
    large.OVERVIEW_SNAPSHOT_MSMES = 10**9
    live = village_page(client, demo_like.village)
    large.OVERVIEW_SNAPSHOT_MSMES = 1
    first, kept = village_page(client, demo_like.village), village_page(client, demo_like.village)
    assert live["counts_as_of"] is None and kept["counts_as_of"] == first["counts_as_of"] is not None
    for name in ("progress", "cascade"):
        assert live[name] == first[name] == kept[name], name
    [snapshot] = OverviewSnapshot.objects.all()
    whole = viewer == "manager"
    user = getattr(demo_like, viewer)
    assert snapshot.scope == (f"village:{demo_like.village.pk}" if whole else f"village:{demo_like.village.pk}:user:{user.pk}")


def test_an_old_village_snapshot_is_counted_again_by_the_worker(demo_like, large, login,
                                                                 django_capture_on_commit_callbacks):
    client = login(demo_like.manager)
    before = village_page(client, demo_like.village)["progress"]
    diagnose_another(demo_like)
    backdate(large.OVERVIEW_MAX_AGE + 1)
    with django_capture_on_commit_callbacks(execute=True):
        stale = village_page(client, demo_like.village)
    assert stale["progress"] == before and stale["counts_as_of"] is not None
    assert "Progress and cascade as of" in client.get(
        reverse("workspace:village", args=[demo_like.village.slug])).content.decode()
    [task] = DBTaskResult.objects.all()
    assert refresh_overview_snapshot.call(*task.args_kwargs["args"]) is True
    assert village_page(client, demo_like.village)["progress"]["diagnosed"] == before["diagnosed"] + 1


def test_a_village_snapshot_of_a_village_gone_from_the_programme_is_dropped(demo_like, large, login):
    village_page(login(demo_like.manager), demo_like.village)
    # A village of another programme (the task names the programme and the scope).
    scope = f"village:{f.VillageFactory(programme=demo_like.other).pk}"
    OverviewSnapshot.objects.update(scope=scope)
    assert refresh_overview_snapshot.call(demo_like.programme.pk, scope) is False
    assert not OverviewSnapshot.objects.filter(scope=scope).exists()
