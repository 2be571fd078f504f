"""Partners: organisations by helix, agreements, those about to expire, one organisation, and
adding an agreement (managers only)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aldea.partners import figures
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from tests import factories as f

LIST = "/partners/"
ADD = "/partners/agreements/new/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def deals(world, today):
    """Agreements of the main programme ending at various distances, and one of the other."""
    ministry = f.OrganisationFactory(slug="ministry", name="Secretaría de Economía", kind="government", helix="government")
    shop = f.OrganisationFactory(slug="shop", name="Mercado Libre", kind="marketplace", helix="industry")
    f.VillagePartnerRoleFactory(village=world.second_village, organisation=shop, role="marketplace")
    soon = f.AgreementFactory(programme=world.programme, code="soon", title="Convenio pronto",
                              ends_on=today + datetime.timedelta(days=10), parties=[ministry, world.host])
    later = f.AgreementFactory(programme=world.programme, code="later", title="Convenio después",
                               ends_on=today + datetime.timedelta(days=200), parties=[shop])
    ended = f.AgreementFactory(programme=world.programme, code="draft-soon", title="Borrador",
                               status=Agreement.Status.DRAFT, ends_on=today + datetime.timedelta(days=5),
                               parties=[shop])
    foreign = f.AgreementFactory(programme=world.other, code="foreign", title="Convenio ajeno",
                                 ends_on=today + datetime.timedelta(days=3), parties=[ministry])
    return {"soon": soon, "later": later, "draft": ended, "foreign": foreign, "ministry": ministry, "shop": shop}


def test_anonymous_is_sent_to_login(client, db):
    for url in (LIST, "/partners/host-university/", ADD):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "staff"])
def test_signed_in_people_read_the_partners(name, personas, deals, login):
    client = login(personas[name])
    assert client.get(LIST).status_code == 200
    assert client.get("/partners/ministry/").status_code == 200


def test_unknown_organisation_is_not_found(world, login):
    assert login(world.manager).get("/partners/no-such-org/").status_code == 404


def test_partner_sees_their_programmes_agreements_only(world, deals, login):
    response = login(world.partner).get(LIST)
    codes = {a.code for a in response.context["agreements"]}
    assert codes == {"soon", "later", "draft-soon"}
    assert "Convenio ajeno" not in response.content.decode()


def test_outsider_sees_none_of_the_programmes_agreements(world, deals, login):
    response = login(world.outsider).get(LIST)
    assert {a.code for a in response.context["agreements"]} == {"foreign"}
    detail = login(world.outsider).get("/partners/ministry/")
    assert [a.code for a in detail.context["agreements"]] == ["foreign"]


def test_organisations_grouped_by_helix_with_their_villages(world, deals, login):
    response = login(world.manager).get(LIST)
    groups = {g["helix"]: [row["organisation"].slug for row in g["organisations"]] for g in response.context["helices"]}
    assert groups == {"government": ["ministry"], "academia": ["host-university"], "industry": ["shop"]}
    body = response.content.decode()
    assert world.second_village.name in body  # the shop's marketplace role


def test_partner_sees_roles_only_in_villages_they_see(world, deals, login):
    response = login(world.partner).get(LIST)
    industry = next(g for g in response.context["helices"] if g["helix"] == "industry")
    shop_row = next(row for row in industry["organisations"] if row["organisation"].slug == "shop")
    assert shop_row["roles"] == []


def test_expiring_panel_uses_the_figure_function(world, deals, login, today):
    response = login(world.manager).get(LIST)
    expected = figures.expiring_agreements(response.context["agreements"], today=today, days=90)
    assert response.context["expiring"] == expected
    assert [row["agreement"].code for row in expected] == ["soon"]
    wider = login(world.manager).get(LIST, {"days": "365"})
    assert [row["agreement"].code for row in wider.context["expiring"]] == ["soon", "later"]


@pytest.mark.parametrize("days", ["0", "-3", "abc", "99999"])
def test_bad_days_shows_an_error_and_falls_back_to_90(days, world, deals, login):
    response = login(world.manager).get(LIST, {"days": days})
    assert response.status_code == 400
    assert response.context["days"] == 90
    assert "days" in response.context["expiry_form"].errors
    assert 'class="errorlist' in response.content.decode()


def test_expiring_agreements_by_hand():
    today = datetime.date(2025, 1, 1)

    def agreement(code, ends_on, status="signed"):
        return Agreement(code=code, status=status, starts_on=datetime.date(2024, 1, 1), ends_on=ends_on)

    rows = [
        agreement("today", today),
        agreement("edge", today + datetime.timedelta(days=90)),
        agreement("past-edge", today + datetime.timedelta(days=91)),
        agreement("yesterday", today - datetime.timedelta(days=1)),
        agreement("open", None),
        agreement("draft", today + datetime.timedelta(days=3), status="draft"),
        agreement("early", today + datetime.timedelta(days=30)),
    ]
    result = figures.expiring_agreements(rows, today=today, days=90)
    assert [(r["agreement"].code, r["days_left"]) for r in result] == [("today", 0), ("early", 30), ("edge", 90)]


def test_agreement_states_follow_from_the_dates_across_the_end_date():
    agreement = Agreement(status="signed", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31))
    assert agreement.state_on(datetime.date(2023, 12, 31)) == "upcoming"
    assert agreement.state_on(datetime.date(2024, 1, 1)) == "in_force"
    assert agreement.state_on(datetime.date(2025, 12, 31)) == "in_force"
    assert agreement.state_on(datetime.date(2026, 1, 1)) == "expired"
    assert Agreement(status="draft", starts_on=datetime.date(2024, 1, 1)).state_on(datetime.date(2024, 6, 1)) == "draft"
    assert Agreement(status="terminated", starts_on=datetime.date(2024, 1, 1)).state_on(
        datetime.date(2024, 6, 1)) == "terminated"


def test_in_force_on_is_the_same_rule_in_the_database(world):
    end = datetime.date(2025, 12, 31)
    for code, ends_on, status in (("ends", end, "signed"), ("open", None, "signed"), ("draft", None, "draft")):
        f.AgreementFactory(programme=world.programme, code=code, starts_on=datetime.date(2024, 1, 1),
                           ends_on=ends_on, status=status)
    for day in (end, end + datetime.timedelta(days=1)):
        in_db = set(Agreement.objects.in_force_on(day).values_list("code", flat=True))
        by_rule = {a.code for a in Agreement.objects.all() if a.state_on(day) == "in_force"}
        assert in_db == by_rule
    assert set(Agreement.objects.in_force_on(end + datetime.timedelta(days=1)).values_list("code", flat=True)) == {"open"}


def test_agreement_state_counts_by_hand():
    today = datetime.date(2026, 1, 1)
    rows = [Agreement(status="signed", starts_on=datetime.date(2024, 1, 1)),
            Agreement(status="signed", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31)),
            Agreement(status="draft", starts_on=datetime.date(2024, 1, 1))]
    assert figures.agreement_state_counts(rows, today=today) == {
        "draft": 1, "upcoming": 0, "in_force": 1, "expired": 1, "terminated": 0}


def test_renewals_due_fall_in_the_first_horizon_they_reach():
    today = datetime.date(2025, 1, 1)
    rows = [Agreement(code=f"in-{days}", status="signed", starts_on=datetime.date(2024, 1, 1),
                      ends_on=today + datetime.timedelta(days=days)) for days in (0, 30, 31, 60, 61, 90, 91)]
    groups = figures.renewals_due(rows, today=today)
    assert [(g["days"], [r["agreement"].code for r in g["agreements"]]) for g in groups] == [
        (30, ["in-0", "in-30"]), (60, ["in-31", "in-60"]), (90, ["in-61", "in-90"])]


def test_organisations_by_helix_keeps_empty_helices():
    org = Organisation(pk=1, name="UNAM", helix="academia", slug="unam")
    groups = figures.organisations_by_helix([org], [])
    assert [g["helix"] for g in groups] == ["government", "academia", "industry"]
    assert groups[1]["organisations"] == [{"organisation": org, "roles": []}]
    assert groups[0]["organisations"] == groups[2]["organisations"] == []


# --- adding an agreement -----------------------------------------------------------------------


def valid(world, **change):
    data = {
        "programme": world.programme.pk, "code": "new-deal", "title": "Convenio nuevo", "parties": [world.host.pk],
        "starts_on": "2025-01-01", "ends_on": "2026-01-01", "status": "signed", "scope": "",
    }
    data.update(change)
    return data


def test_manager_adds_an_agreement_with_its_parties(world, login):
    client = login(world.manager)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, valid(world))
    assert response.status_code == 302
    agreement = Agreement.objects.get(code="new-deal")
    assert agreement.programme == world.programme
    assert list(agreement.parties.all()) == [world.host]
    assert agreement.ends_on == datetime.date(2026, 1, 1)


def test_list_shows_the_add_button_only_to_managers(world, login, client):
    assert ADD.encode() in login(world.manager).get(LIST).content
    client.logout()
    assert ADD.encode() not in login(world.analyst).get(LIST).content


@pytest.mark.parametrize("name", ["analyst", "partner", "trainer", "consultant", "msme_owner", "outsider"])
def test_everyone_but_managers_is_forbidden_to_add(name, world, personas, login):
    client = login(personas[name])
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, valid(world)).status_code == 403
    assert not Agreement.objects.filter(code="new-deal").exists()


def test_manager_cannot_add_to_another_programme(world, login):
    response = login(world.manager).post(ADD, valid(world, programme=world.other.pk))
    assert response.status_code == 400
    assert "programme" in response.context["form"].errors
    assert not Agreement.objects.filter(code="new-deal").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2024-12-31"}, "ends_on"),
        ({"parties": []}, "parties"),
        ({"starts_on": ""}, "starts_on"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"code": "has spaces"}, "code"),
        ({"title": ""}, "title"),
        ({"status": "bogus"}, "status"),
        ({"signed_on": "2026-02-01"}, "signed_on"),
    ],
)
def test_bad_agreement_shows_the_error_beside_the_field_and_saves_nothing(change, field, world, login):
    response = login(world.manager).post(ADD, valid(world, **change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    body = response.content.decode()
    field_block = body.split(f'name="{field}"', 1)[1].split('class="field"', 1)[0]
    assert 'class="errorlist' in field_block
    assert not Agreement.objects.filter(code="new-deal").exists()
    assert not Agreement.parties.through.objects.exists()


def test_duplicate_code_is_rejected(world, login):
    f.AgreementFactory(programme=world.programme, code="new-deal")
    response = login(world.manager).post(ADD, valid(world))
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert Agreement.objects.filter(code="new-deal").count() == 1


# --- query budget ------------------------------------------------------------------------------


def _grow(world, size):
    for n in range(size):
        org = f.OrganisationFactory(helix=["government", "academia", "industry"][n % 3])
        f.VillagePartnerRoleFactory(village=world.village, organisation=org, role="sponsor")
        f.AgreementFactory(programme=world.programme, parties=[org, world.host],
                           ends_on=timezone.localdate() + datetime.timedelta(days=n * 20))
        f.MembershipFactory(programme=world.programme, organisation=org, role="partner", village=world.village)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["manager", "partner", "analyst"])
@pytest.mark.parametrize("url", [LIST, "/partners/host-university/"])
def test_query_count_does_not_grow_with_the_data(name, url, world, personas, login):
    client = login(personas[name])
    _grow(world, 2)
    small = _queries(client, url)
    _grow(world, 12)
    large = _queries(client, url)
    assert small == large <= 15


def test_a_manager_adds_an_organisation_then_keeps_it_up_to_date_until_another_programme_ties_it(world, login):
    client = login(world.manager)
    response = client.post(reverse("partners:organisation_add"), {
        "name": "Universidad de la Sierra", "slug": "unisierra", "kind": "university", "country": "MX", "website": "",
    })
    organisation = Organisation.objects.get(slug="unisierra")
    assert response.status_code == 302
    assert (organisation.helix, organisation.registered_in) == ("academia", world.programme)
    edit = reverse("partners:organisation_edit", args=["unisierra"])
    assert client.post(edit, {"name": "UniSierra", "slug": "unisierra", "kind": "university", "helix": "academia",
                              "country": "MX", "website": "https://unisierra.example.org/"}).status_code == 302
    # Another programme ties it to one of its villages: now it answers to both, and neither edits it alone.
    f.VillagePartnerRoleFactory(village=world.other_village, organisation=organisation)
    assert client.get(edit).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "UniSierra"


def test_agreements_carry_obligations_and_a_checked_document(world, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.manager)
    data = valid(world) | {"obligations": "La universidad aporta aulas.\nEl programa, formadores."}
    bad = client.post(ADD, data | {"document": SimpleUploadedFile("convenio.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 400 and "document" in bad.context["form"].errors
    good = client.post(ADD, data | {"document": SimpleUploadedFile("convenio.pdf", b"%PDF-1.4", "application/pdf")})
    assert good.status_code == 302
    agreement = Agreement.objects.get(code=data["code"])
    assert agreement.obligations.startswith("La universidad") and agreement.document.name.endswith(".pdf")


def test_agreements_are_edited_by_their_programmes_managers_only(world, login):
    mine = f.AgreementFactory(programme=world.programme, code="mine")
    theirs = f.AgreementFactory(programme=world.other, code="theirs")
    assert login(world.manager).get(reverse("partners:agreement_edit", args=["mine"])).status_code == 200
    assert login(world.manager).get(reverse("partners:agreement_edit", args=["theirs"])).status_code == 404
    assert login(world.analyst).get(reverse("partners:agreement_edit", args=["mine"])).status_code == 403
    assert mine.pk and theirs.pk


def test_a_manager_gives_an_organisation_a_role_in_one_of_their_villages_once(world, login):
    shop = f.OrganisationFactory(slug="shop")
    url = reverse("partners:village_role_add", args=["shop"])
    data = {"village": world.village.pk, "role": "marketplace", "starts_on": "2025-01-01"}
    assert login(world.manager).post(url, data).status_code == 302
    again = login(world.manager).post(url, data)
    assert again.status_code == 400 and "already has this role" in again.content.decode()
    assert login(world.manager).post(url, data | {"village": world.other_village.pk}).status_code == 400
    assert VillagePartnerRole.objects.filter(organisation=shop).count() == 1
