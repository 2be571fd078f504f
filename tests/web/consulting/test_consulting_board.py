import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.consulting.figures import CARDS_PER_COLUMN, board_columns, stage_counts
from aldea.consulting.models import Engagement, Stage, StageChange
from aldea.consulting.queries import engagements_visible_to
from aldea.enterprises.queries import enterprises_served_by
from tests import factories as f
from tests.web.consulting.conftest import add_engagements

URL = "/consultancy/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["manager", "trainer", "consultant", "analyst", "staff"])
def test_roles_see_the_board_of_their_scope(role, login, world, engagement, other_engagement):
    response = login(getattr(world, role)).get(URL)
    assert response.status_code == 200
    cards = [card for column in response.context["columns"] for card in column.cards]
    assert engagement in cards
    assert other_engagement not in cards or role == "staff"


def test_columns_are_the_six_stages_in_order(login, world, engagement):
    columns = login(world.consultant).get(URL).context["columns"]
    assert [column.stage for column in columns] == [
        "diagnosed", "action_plan", "listing", "first_sale", "graduated", "dropped",
    ]


def test_stage_counts_and_columns_match_hand_counts(world):
    add_engagements(world, 3)
    add_engagements(world, 2, stage=Stage.LISTING)
    add_engagements(world, 1, stage=Stage.DROPPED)
    counts = stage_counts(Engagement.objects.all())
    assert counts == {"diagnosed": 3, "action_plan": 0, "listing": 2, "first_sale": 0, "graduated": 0, "dropped": 1}
    columns = board_columns(Engagement.objects.all(), per_column=2)
    assert [(c.count, len(c.cards), c.has_more) for c in columns] == [
        (3, 2, True), (0, 0, False), (2, 2, False), (0, 0, False), (0, 0, False), (1, 1, False),
    ]


def test_long_columns_are_capped_with_a_show_more_link(login, world):
    add_engagements(world, CARDS_PER_COLUMN + 3)
    response = login(world.manager).get(URL)
    first = response.context["columns"][0]
    assert (first.count, len(first.cards)) == (CARDS_PER_COLUMN + 3, CARDS_PER_COLUMN)
    assert "?stage=diagnosed" in response.content.decode()
    column = login(world.manager).get(URL + "?stage=diagnosed")
    assert column.status_code == 200
    assert column.context["page"].paginator.count == CARDS_PER_COLUMN + 3


def test_page_shows_the_figure_functions_results(login, world, engagement):
    add_engagements(world, 4, stage=Stage.ACTION_PLAN)
    response = login(world.manager).get(URL)
    expected = board_columns(engagements_visible_to(world.manager), writable_enterprises=enterprises_served_by(world.manager))
    assert [(c.stage, c.count, [e.pk for e in c.cards]) for c in response.context["columns"]] == [
        (c.stage, c.count, [e.pk for e in c.cards]) for c in expected
    ]


def test_filters_by_village_and_consultant(login, world, engagement):
    second = add_engagements(world, 2, village=world.second_village)
    colleague = f.PersonFactory()
    theirs = add_engagements(world, 1, consultant=colleague)
    client = login(world.manager)

    by_village = client.get(URL, {"village": world.second_village.slug}).context["columns"]
    assert {card.pk for column in by_village for card in column.cards} == {e.pk for e in second}

    by_consultant = client.get(URL, {"consultant": colleague.pk}).context["columns"]
    assert {card.pk for column in by_consultant for card in column.cards} == {theirs[0].pk}


def test_a_consultant_moves_a_card_with_htmx(login, world, engagement):
    response = login(world.consultant).post(
        f"{URL}engagement/{engagement.pk}/move/", {f"move-{engagement.pk}-to_stage": "action_plan"}, **HTMX
    )
    assert response.status_code == 200
    assert 'id="board-region"' in response.content.decode() and "<html" not in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.stage == "action_plan"
    change = StageChange.objects.get(engagement=engagement)
    assert (change.from_stage, change.to_stage, change.changed_by) == ("diagnosed", "action_plan", world.consultant)


def test_a_card_cannot_skip_stages_and_the_allowed_moves_are_named(login, world, engagement):
    response = login(world.consultant).post(
        f"{URL}engagement/{engagement.pk}/move/", {f"move-{engagement.pk}-to_stage": "graduated"}, **HTMX
    )
    assert response.status_code == 400
    assert "cannot move to «Graduated»; it may move to «Action plan», «Dropped»" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.stage == "diagnosed" and not StageChange.objects.exists()


def test_without_javascript_a_move_redirects_to_the_filtered_board(login, world, engagement):
    response = login(world.consultant).post(
        f"{URL}engagement/{engagement.pk}/move/",
        {f"move-{engagement.pk}-to_stage": "action_plan", "village": world.village.slug},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?village={world.village.slug}"
    engagement.refresh_from_db()
    assert engagement.stage == "action_plan"


def test_a_drop_needs_a_reason(login, world, engagement):
    response = login(world.consultant).post(
        f"{URL}engagement/{engagement.pk}/move/", {f"move-{engagement.pk}-to_stage": "dropped", f"move-{engagement.pk}-reason": " "},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Say why the MSME dropped out." in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.stage == "diagnosed" and not StageChange.objects.exists()


def test_a_drop_with_a_reason_is_recorded(login, world, engagement):
    login(world.consultant).post(
        f"{URL}engagement/{engagement.pk}/move/",
        {f"move-{engagement.pk}-to_stage": "dropped", f"move-{engagement.pk}-reason": "Migró a la ciudad"},
    )
    engagement.refresh_from_db()
    assert (engagement.stage, engagement.drop_reason) == ("dropped", "Migró a la ciudad")
    assert StageChange.objects.get().reason == "Migró a la ciudad"


def test_a_rule_of_the_service_is_shown_beside_the_card(login, world):
    (closed,) = add_engagements(world, 1, stage=Stage.GRADUATED)
    response = login(world.consultant).post(
        f"{URL}engagement/{closed.pk}/move/", {f"move-{closed.pk}-to_stage": "listing"}, **HTMX
    )
    assert response.status_code == 400
    assert "A closed engagement can only be reopened" in response.content.decode()


@pytest.mark.parametrize("role", ["trainer", "analyst"])
def test_read_only_roles_cannot_move(role, login, world, engagement):
    response = login(getattr(world, role)).post(
        f"{URL}engagement/{engagement.pk}/move/", {f"move-{engagement.pk}-to_stage": "listing"}
    )
    assert response.status_code == 403
    engagement.refresh_from_db()
    assert engagement.stage == "diagnosed"


def test_read_only_roles_get_no_move_controls(login, world, engagement):
    html = login(world.trainer).get(URL).content.decode()
    assert f"move-form-{engagement.pk}" not in html


def test_out_of_scope_move_is_404(login, world, other_engagement):
    response = login(world.consultant).post(
        f"{URL}engagement/{other_engagement.pk}/move/", {f"move-{other_engagement.pk}-to_stage": "listing"}
    )
    assert response.status_code == 404


def _queries(client, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params or {}).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("params", [{}, {"stage": "diagnosed"}, {"village": "teotitlan"}])
def test_query_count_does_not_grow_with_the_data(params, login, world, engagement):
    client = login(world.consultant)
    small = _queries(client, params)
    for stage in Stage.values:
        add_engagements(world, CARDS_PER_COLUMN + 2, stage=stage)
    large = _queries(client, params)
    assert small == large <= 15


def test_a_consultant_opens_the_board_on_their_own_cards_and_can_widen_it(login, world, engagement):
    colleague = f.PersonFactory()
    f.MembershipFactory(person=colleague, role="consultant", programme=world.programme, village=world.village)
    theirs = add_engagements(world, 2, consultant=colleague)
    mine = add_engagements(world, 1)
    client = login(world.consultant)

    default = client.get(URL)
    shown = {card.pk for column in default.context["columns"] for card in column.cards}
    assert {e.pk for e in mine} <= shown and not shown & {e.pk for e in theirs}

    everyone = client.get(URL, {"consultant": ""}).context["columns"]
    assert {e.pk for e in theirs} <= {card.pk for column in everyone for card in column.cards}


def test_filters_by_the_consultants_name(login, world, engagement):
    colleague = f.PersonFactory(given_name="Citlali", family_name="Hernández Ruiz")
    theirs = add_engagements(world, 1, consultant=colleague)
    client = login(world.manager)

    columns = client.get(URL, {"consultant_name": "citlali ruiz"}).context["columns"]
    assert {card.pk for column in columns for card in column.cards} == {theirs[0].pk}
    nobody = client.get(URL, {"consultant_name": "citlali lópez"}).context["columns"]
    assert not [card for column in nobody for card in column.cards]


def test_the_consultant_filter_lists_only_all_the_user_and_the_one_chosen(login, world, engagement):
    colleague = f.PersonFactory()
    add_engagements(world, 1, consultant=colleague)
    add_engagements(world, 1, consultant=f.PersonFactory())
    client = login(world.consultant)

    default = client.get(URL).context["filters"]
    assert [value for value, _label in default.fields["consultant"].widget.choices] == ["", world.consultant.person.pk]
    chosen = client.get(URL, {"consultant": colleague.pk}).context["filters"]
    assert [value for value, _label in chosen.fields["consultant"].widget.choices] == [
        "", world.consultant.person.pk, colleague.pk
    ]
