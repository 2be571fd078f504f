"""The permission matrix: every persona × every resource × every door, against the policy.

Two kinds of check:

* **The doors agree with the policy.** What the API lists and opens, what a page opens, what an
  export writes is exactly what the resource's ``*_visible_to`` gives; a change is accepted
  exactly where ``*_writable_by`` allows it; a hidden row answers like a row that does not exist.
* **The policy keeps the promises it was written for**, checked without it: nobody sees a row of
  a programme where they hold no role; partners never see MSME owners; a role counts only in
  its own programme; contact details appear only with consent; read-only roles never write.
"""

import csv
import io

import pytest
from django.db.models import Q

from aldea.accounts.models import Membership, Person, Role
from aldea.api_urls import router
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_visible_to
from aldea.people.queries import persons_visible_to
from tests.access.doors import PAGE_DOORS, PROGRAMME_OF
from tests.api.resources import BY_ENDPOINT
from tests.conftest import client_for

PERSONAS = [
    "manager", "analyst", "partner", "wide_partner", "trainer", "consultant", "msme_owner", "manager_b",
    "partner_a_consultant_b", "trainer_a_owner_b", "staff", "nobody",
]
VIEWSETS = {prefix: viewset for prefix, viewset, _basename in router.registry}
READ_ONLY_ROLES = {"analyst", "partner", "wide_partner", "nobody"}


def api_client(user):
    return client_for(user)


def listed(client, endpoint) -> list[dict]:
    rows, url = [], f"/api/{endpoint}/"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (endpoint, response.status_code)
        page = response.json()
        rows += page["results"]
        url = page.get("next")
    return rows


def fresh(user):
    """The user as a request would load it (no reach cached from an earlier request)."""
    return type(user).objects.get(pk=user.pk)


def member_programmes(user) -> set:
    return set(Membership.objects.filter(person__user=user, is_active=True).values_list("programme_id", flat=True))


def key_of(endpoint, obj):
    return str(BY_ENDPOINT[endpoint].key(obj))


def every_row(matrix, endpoint):
    """All rows of a resource in the database (both programmes), with their API keys."""
    model = VIEWSETS[endpoint].serializer_class.Meta.model
    return list(model.objects.all())


# --- the doors agree with the policy -----------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_lists_opens_and_changes_exactly_what_the_policy_allows(matrix, persona):
    user = matrix.personas[persona]
    client = api_client(user)
    problems = []
    for endpoint, viewset in VIEWSETS.items():
        scope = viewset.scope
        visible = set(scope.visible(fresh(user)).values_list("pk", flat=True))
        listed_keys = {str(row.get(viewset.lookup_field if viewset.lookup_field != "pk" else "id", row.get("id")))
                       for row in listed(client, endpoint)}
        rows = every_row(matrix, endpoint)
        expected_keys = {key_of(endpoint, obj) for obj in rows if obj.pk in visible}
        if listed_keys != expected_keys:
            problems.append(f"{endpoint}: list shows {sorted(listed_keys ^ expected_keys)} against the policy")
        missing = client.get(f"/api/{endpoint}/no-such-row-0/").status_code
        for obj in rows:
            url = f"/api/{endpoint}/{key_of(endpoint, obj)}/"
            status = client.get(url).status_code
            if (status == 200) != (obj.pk in visible):
                problems.append(f"GET {url}: {status}, visible={obj.pk in visible}")
            if not (obj.pk in visible) and status != missing:
                problems.append(f"GET {url}: {status} for a hidden row, {missing} for a missing one")
    assert not problems, "\n".join(problems)


def _may_write(viewset, user, obj) -> bool:
    scope = viewset.scope
    if user.is_staff:
        return True
    if scope.writable is None:
        return False
    anchor = obj
    for name in filter(None, scope.anchor.split(".")):
        anchor = getattr(anchor, name)
    return scope.writable(fresh(user)).filter(pk=anchor.pk).exists()


# Resources a PATCH may change (certificates change only through their issue and revoke actions).
WRITABLE_ENDPOINTS = [
    endpoint for endpoint, resource in BY_ENDPOINT.items() if not resource.read_only and resource.changeable
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_change_is_accepted_exactly_where_the_policy_allows_it(matrix, persona):
    user = matrix.personas[persona]
    client = api_client(user)
    problems = []
    for endpoint in WRITABLE_ENDPOINTS:
        viewset = VIEWSETS[endpoint]
        visible = set(viewset.scope.visible(fresh(user)).values_list("pk", flat=True))
        for obj in matrix.rows[endpoint]:
            url = f"/api/{endpoint}/{key_of(endpoint, obj)}/"
            status = client.patch(url, {}, format="json").status_code
            allowed = obj.pk in visible and _may_write(viewset, user, obj)
            if allowed and status != 200:
                problems.append(f"PATCH {url}: {status}, but the policy allows it")
            if not allowed and status < 400:
                problems.append(f"PATCH {url}: {status}, but the policy forbids it")
            if obj.pk in visible and not allowed and status != 403:
                problems.append(f"PATCH {url}: {status} for a visible, read-only row (403 expected)")
            if obj.pk not in visible and status not in (403, 404):
                problems.append(f"PATCH {url}: {status} for a hidden row")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_open_one_record_exactly_where_the_policy_allows(matrix, persona, client):
    user = matrix.personas[persona]
    client.force_login(user)
    problems = []
    for door in PAGE_DOORS:
        visible = door.visible(fresh(user))
        writable = door.writable(fresh(user)) if door.writable else None
        for obj in door.rows(matrix):
            status = client.get(door.url(obj)).status_code
            sees = visible.filter(pk=obj.pk).exists()
            may = sees and (writable is None or writable.filter(pk=obj.pk).exists())
            if not sees and status != 404:
                problems.append(f"{door.name} {door.url(obj)}: {status} for a record out of sight")
            if sees and not may and status != 403:
                problems.append(f"{door.name} {door.url(obj)}: {status} for a read-only record")
            if may and status not in (200, 403):
                problems.append(f"{door.name} {door.url(obj)}: {status} for a record the policy opens")
    assert not problems, "\n".join(problems)


EXPORTS = {
    "enterprises": (enterprises_visible_to, "code", "code"),
    "people": (persons_visible_to, "id", "id"),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_downloads_hold_exactly_the_visible_rows_and_no_withheld_contact(matrix, persona, client):
    user = matrix.personas[persona]
    client.force_login(user)
    for kind, (visible, column, field) in EXPORTS.items():
        response = client.get(f"/data/download/{kind}.csv")
        if response.status_code in (403, 404):  # the data page is for managers, analysts and staff
            assert persona not in ("manager", "analyst", "staff", "manager_b")
            continue
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert {row[column] for row in rows} == {str(v) for v in visible(fresh(user)).values_list(field, flat=True)}
        if kind == "people":
            consenting = set(Person.objects.filter(has_contact_consent=True).values_list("id", flat=True))
            self_id = getattr(getattr(user, "person", None), "id", None)
            for row in rows:
                if int(row["id"]) not in consenting and int(row["id"]) != self_id:
                    assert row["email"] == row["phone"] == "", row


# --- the promises, checked without the policy --------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "staff"])
def test_nobody_sees_a_record_of_a_programme_where_they_hold_no_role(matrix, persona):
    user = matrix.personas[persona]
    client = api_client(user)
    mine = member_programmes(user)
    problems = []
    for endpoint, path in PROGRAMME_OF.items():
        if path is None:
            continue
        viewset = VIEWSETS[endpoint]
        model = viewset.serializer_class.Meta.model
        keys = [row[viewset.lookup_field] if viewset.lookup_field in row else row["id"] for row in listed(client, endpoint)]
        lookup = viewset.lookup_field if viewset.lookup_field != "pk" else "pk"
        programmes = set(model.objects.filter(**{f"{lookup}__in": keys}).values_list(path, flat=True))
        if programmes - mine:
            problems.append(f"{endpoint}: rows of programmes {programmes - mine}")
    people = {row["id"] for row in listed(client, "people")}
    own = getattr(getattr(user, "person", None), "id", None)
    linked = set(Person.objects.filter(
        Q(memberships__programme_id__in=mine) | Q(enterprises__programme_id__in=mine)
    ).values_list("id", flat=True))
    if people - linked - {own}:
        problems.append(f"people outside the user's programmes: {people - linked - {own}}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["partner", "wide_partner", "partner_a_consultant_b"])
def test_partners_never_see_the_owners_of_their_programme(matrix, persona):
    user = matrix.personas[persona]
    client = api_client(user)
    a = matrix.a.programme
    owners_of_a = set(Enterprise.objects.filter(programme=a, owner__isnull=False).values_list("owner_id", flat=True))
    professionals_of_a = set(Membership.objects.filter(programme=a).exclude(role=Role.MSME_OWNER).values_list(
        "person_id", flat=True))
    seen = {row["id"] for row in listed(client, "people")}
    assert not (seen & (owners_of_a - professionals_of_a))
    for msme in (matrix.a.owned_msme, matrix.a.consenting_msme):
        page = client.get(f"/api/enterprises/{msme.code}/")
        if page.status_code == 200:
            assert client.get(f"/api/people/{msme.owner_id}/").status_code == 404


def test_a_role_counts_only_in_its_own_programme(matrix):
    """A partner of A who consults in B sees B's owners as a consultant would, and A's not at all."""
    client = api_client(matrix.personas["partner_a_consultant_b"])
    seen = {row["id"] for row in listed(client, "people")}
    assert matrix.b.owned_msme.owner_id in seen
    assert matrix.a.owned_msme.owner_id not in seen
    assert matrix.a.consenting_msme.owner_id not in seen


@pytest.mark.parametrize("persona", PERSONAS)
def test_contact_details_are_shown_only_with_consent(matrix, persona):
    user = matrix.personas[persona]
    own = getattr(getattr(user, "person", None), "id", None)
    consenting = set(Person.objects.filter(has_contact_consent=True).values_list("id", flat=True))
    client = api_client(user)
    for row in listed(client, "people"):
        if row["id"] not in consenting and row["id"] != own:
            assert row["email"] == row["phone"] == "", row
        detail = client.get(f"/api/people/{row['id']}/").json()
        assert (detail["email"], detail["phone"]) == (row["email"], row["phone"])


@pytest.mark.parametrize("persona", sorted(READ_ONLY_ROLES))
def test_read_only_roles_never_change_anything(matrix, persona):
    client = api_client(matrix.personas[persona])
    for endpoint in WRITABLE_ENDPOINTS:
        for obj in matrix.rows[endpoint]:
            url = f"/api/{endpoint}/{key_of(endpoint, obj)}/"
            assert client.patch(url, {}, format="json").status_code in (403, 404), url
            assert client.delete(url).status_code in (403, 404, 405), url


def test_a_manager_of_another_programme_changes_nothing_of_programme_a(matrix):
    client = api_client(matrix.personas["manager_b"])
    a = matrix.a.programme.id
    for endpoint in WRITABLE_ENDPOINTS:
        path = PROGRAMME_OF.get(endpoint)
        for obj in matrix.rows[endpoint]:
            if path and type(obj).objects.filter(pk=obj.pk, **{path: a}).exists():
                url = f"/api/{endpoint}/{key_of(endpoint, obj)}/"
                assert client.patch(url, {}, format="json").status_code in (403, 404), url


def test_a_shared_partner_cannot_be_renamed_from_another_programme(matrix):
    """B's manager ties A's partner to a B village, then tries to change its name and website."""
    client = api_client(matrix.personas["manager_b"])
    host = matrix.a.host
    tie = client.post("/api/village-partner-roles/",
                      {"village": matrix.b.village.slug, "organisation": host.slug, "role": "sponsor"}, format="json")
    assert tie.status_code == 201
    change = client.patch(f"/api/organisations/{host.slug}/", {"website": "https://phishing.example/"}, format="json")
    assert change.status_code == 403
    host.refresh_from_db()
    assert host.website != "https://phishing.example/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_cascade_names_only_msmes_the_user_sees(matrix, persona):
    user = matrix.personas[persona]
    client = api_client(user)
    visible = set(enterprises_visible_to(fresh(user)).values_list("code", flat=True))
    for village in (matrix.a.village, matrix.b.village):
        response = client.get(f"/api/villages/{village.slug}/cascade/")
        if response.status_code == 404:
            continue
        assert response.status_code == 200
        assert {link["enterprise_code"] for link in response.json()} <= visible
