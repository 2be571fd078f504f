"""Assigning and reassigning consultants from the board."""

import pytest

from aldea.accounts.models import Role
from aldea.consulting.models import ConsultantChange, Engagement, StageChange
from tests import factories as f
from tests.conftest import make_persona

URL = "/consultancy/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def colleague(world):
    return make_persona(Role.CONSULTANT, world.programme, village=world.village, username="colleague")


@pytest.fixture
def elsewhere(world):
    return make_persona(Role.CONSULTANT, world.programme, village=world.second_village, username="elsewhere")


def _card(response, engagement):
    return next(card for column in response.context["columns"] for card in column.cards if card.pk == engagement.pk)


def _options(response) -> dict[str, str]:
    """value → text of the <option>s htmx puts in the list."""
    from bs4 import BeautifulSoup

    return {option["value"]: option.get_text() for option in BeautifulSoup(response.content, "html.parser")("option")}


def test_a_manager_is_offered_only_the_consultants_of_the_msmes_village(login, world, engagement, colleague, elsewhere):
    client = login(world.manager)
    board = client.get(URL)
    assert _card(board, engagement).can_reassign
    # The board names only the card's own consultant; the list is fetched when it is opened.
    html = board.content.decode()
    assert "Change consultant" in html and f"/consultancy/engagement/{engagement.pk}/consultants/" in html
    assert str(colleague.person) not in html
    response = client.get(f"{URL}engagement/{engagement.pk}/consultants/", **HTMX)
    assert response.status_code == 200
    assert set(_options(response)) == {str(world.consultant.person.pk), str(colleague.person.pk)}
    assert f'value="{world.consultant.person.pk}" selected' in response.content.decode()


def test_without_javascript_the_choice_is_a_page_with_its_form(login, world, engagement, colleague):
    response = login(world.manager).get(f"{URL}engagement/{engagement.pk}/consultants/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>" in html
    assert f'action="/consultancy/engagement/{engagement.pk}/consultant/"' in html
    assert str(colleague.person.pk) in _options(response)


def test_the_choices_follow_who_may_reassign(login, world, engagement, colleague):
    theirs = f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=colleague.person)
    consultant = login(world.consultant)
    assert consultant.get(f"{URL}engagement/{engagement.pk}/consultants/", **HTMX).status_code == 200
    assert consultant.get(f"{URL}engagement/{theirs.pk}/consultants/", **HTMX).status_code == 403
    assert consultant.get(f"{URL}assign/village-msme/consultants/", **HTMX).status_code == 403
    other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    assert login(other_manager).get(f"{URL}engagement/{engagement.pk}/consultants/").status_code == 404
    assert login(other_manager).get(f"{URL}assign/village-msme/consultants/").status_code == 404


def test_an_awaiting_msme_is_offered_the_least_busy_first_choice_and_its_village(login, world, colleague, elsewhere):
    response = login(world.manager).get(f"{URL}assign/village-msme/consultants/", **HTMX)
    options = _options(response)
    assert next(iter(options)) == "" and set(options) == {"", str(world.consultant.person.pk), str(colleague.person.pk)}


def test_assign_without_a_choice_gives_the_least_busy_consultant_of_the_village(login, world, colleague, elsewhere):
    for _ in range(2):
        f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=world.consultant.person)
    f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=colleague.person)
    response = login(world.manager).post(f"{URL}assign/village-msme/", {"consultant": ""})
    assert response.status_code == 302
    assert Engagement.objects.get(enterprise=world.village_msme).consultant == colleague.person


def test_a_village_without_consultants_says_so_and_assigns_nobody(login, world):
    client = login(world.manager)
    board = client.get(URL)
    shown = {e.code: e for e in board.context["awaiting"]["shown"]}
    assert shown["village-msme"].has_consultants and not shown["second-village-msme"].has_consultants
    response = client.post(f"{URL}assign/second-village-msme/", {"consultant": ""}, follow=True)
    assert "No consultant of the programme works in this village yet." in response.content.decode()
    assert not Engagement.objects.filter(enterprise=world.second_village_msme).exists()


def test_a_consultant_may_hand_over_their_own_card_only(login, world, engagement, colleague):
    theirs = f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=colleague.person)
    response = login(world.consultant).get(URL, {"village": world.village.slug})
    assert _card(response, engagement).can_reassign
    assert not _card(response, theirs).can_reassign


def test_reassigning_from_the_board_with_htmx_returns_the_board(login, world, engagement, colleague):
    StageChangeCount = StageChange.objects.count()
    response = login(world.manager).post(
        f"{URL}engagement/{engagement.pk}/consultant/", {"consultant": colleague.person.pk}, **HTMX
    )
    assert response.status_code == 200
    assert 'id="board-region"' in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.consultant == colleague.person
    assert ConsultantChange.objects.get().changed_by == world.manager
    assert StageChange.objects.count() == StageChangeCount


def test_reassigning_without_htmx_redirects_to_the_board_with_its_filters(login, world, engagement, colleague):
    response = login(world.manager).post(
        f"{URL}engagement/{engagement.pk}/consultant/",
        {"consultant": colleague.person.pk, "village": world.village.slug},
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}?village={world.village.slug}"


def test_a_consultant_of_another_village_is_refused_in_place(login, world, engagement, elsewhere):
    response = login(world.manager).post(
        f"{URL}engagement/{engagement.pk}/consultant/", {"consultant": elsewhere.person.pk}, **HTMX
    )
    assert response.status_code == 400
    assert "Choose one of the consultants offered" in _card(response, engagement).assign_error
    engagement.refresh_from_db()
    assert engagement.consultant == world.consultant.person


def test_a_consultant_cannot_reassign_anothers_engagement(login, world, colleague):
    theirs = f.EngagementFactory(enterprise=world.village_msme, consultant=colleague.person)
    response = login(world.consultant).post(
        f"{URL}engagement/{theirs.pk}/consultant/", {"consultant": world.consultant.person.pk}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.consultant == colleague.person


def test_a_manager_of_a_second_programme_gets_404(login, world, engagement, colleague):
    other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    response = login(other_manager).post(
        f"{URL}engagement/{engagement.pk}/consultant/", {"consultant": colleague.person.pk}
    )
    assert response.status_code == 404


def test_a_manager_assigns_an_msme_without_a_consultant(login, world, colleague):
    client = login(world.manager)
    board = client.get(URL)
    awaiting = {enterprise.code for enterprise in board.context["awaiting"]["shown"]}
    assert {"owned", "village-msme", "second-village-msme"} <= awaiting and "other-msme" not in awaiting

    response = client.post(f"{URL}assign/village-msme/", {"consultant": colleague.person.pk})

    assert response.status_code == 302 and response["Location"].endswith("#awaiting")
    engagement = Engagement.objects.get(enterprise=world.village_msme)
    assert engagement.consultant == colleague.person and engagement.stage == "diagnosed"
    assert "village-msme" not in {e.code for e in client.get(URL).context["awaiting"]["shown"]}


def test_assigning_is_for_managers(login, world):
    response = login(world.consultant).post(f"{URL}assign/village-msme/", {"consultant": world.consultant.person.pk})
    assert response.status_code == 403
    assert login(world.consultant).get(URL).context["awaiting"]["count"] == 0
    assert not Engagement.objects.exists()


def test_each_place_offers_its_least_busy_consultants_up_to_the_limit(world, engagement):
    from aldea.consulting.services import consultants_by_place, offered_consultants

    busy = make_persona(Role.CONSULTANT, world.programme, village=world.village, username="busy").person
    idle = make_persona(Role.CONSULTANT, world.programme, village=world.village, username="idle").person
    for _ in range(2):
        f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=busy)
    # world.consultant serves ``engagement``: one open engagement, against busy's two and idle's none.
    places = consultants_by_place([engagement.enterprise], limit=2)
    assert places[(world.programme.id, world.village.id)] == [idle, world.consultant.person]
    # The card's own consultant is always among those offered, even past the limit.
    offered = offered_consultants(places, engagement.enterprise, current=busy)
    assert set(offered) == {idle, world.consultant.person, busy}


def test_a_place_of_no_card_is_not_read(world, engagement, elsewhere):
    from aldea.consulting.services import consultants_by_place

    places = consultants_by_place([engagement.enterprise])
    assert (world.programme.id, world.second_village.id) not in places


def test_the_awaiting_count_stops_at_its_cap_and_says_so(login, world, monkeypatch):
    from aldea.consulting import views

    client = login(world.manager)
    awaiting = client.get(URL).context["awaiting"]
    assert awaiting["count"] >= 3 and awaiting["total"] == str(awaiting["count"])
    monkeypatch.setattr(views, "AWAITING_COUNTED", 2)
    response = client.get(URL)
    assert response.context["awaiting"]["total"] == "2+"
    assert '<span class="badge">2+</span>' in response.content.decode()
