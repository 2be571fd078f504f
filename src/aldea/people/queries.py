"""Who may see whom, and which of a person's details.

A user sees a person through what links them, programme by programme:

* themselves, always;
* in a programme where they manage, analyse or train: every member (trainers enrol, grade and
  certify the programme's participants);
* in a programme where they are a partner: the people who hold a professional role there
  (manager, trainer, consultant, partner, analyst), never an MSME owner;
* in any of their programmes: its trainers (a consultant's supervisor, an owner's trainer);
* the owners of the MSMEs they work with, in programmes where they hold a working role
  (manager, trainer, consultant, analyst).

Roles count only in the programme where they are held: a partner of one programme who consults
in another sees the second programme's owners, not the first's.

Of a person they see, a user sees every detail except the contact details (email and phone),
which are shown only when the person consented to be contacted; a person always sees their own.

Changing people, and naming them in a write, depends on memberships only and lives in
``aldea.accounts.queries``.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull

from aldea.accounts.models import Membership, Person, Role
from aldea.accounts.queries import PROFESSIONAL_ROLES, WORKING_ROLES, reach_of
from aldea.enterprises.queries import enterprises_visible_to

CONTACT_FIELDS = ("email", "phone")
# Roles that see every member of the programme where they hold them.
ALL_MEMBERS_ROLES = frozenset({Role.MANAGER, Role.ANALYST, Role.TRAINER})


def _programmes_where(reach, roles) -> set:
    return {p for p, held in reach.roles_by_programme.items() if held & roles}


def _has(rows: QuerySet) -> IsNull:
    """Whether the correlated ``rows`` hold one, as ``(SELECT id … LIMIT 1) IS NOT NULL``.

    Not ``EXISTS``: under an OR, PostgreSQL answers an EXISTS from a hashed set of every match
    (206,000 memberships at 100,000 MSMEs), built before the first row even when the list stops
    at 50; a scalar subquery it answers row by row from the index, as SQLite does both."""
    return IsNull(Subquery(rows.order_by().values("id")[:1]), False)


def _seen_people(user, reach, person_ref: str) -> Q:
    """The people ``user`` sees, as a condition on the person id at ``person_ref`` (``"pk"`` for
    people, ``"person_id"`` for memberships).

    Each link is a correlated look-up by the membership's person or the MSME's owner. As ``IN``
    subqueries, PostgreSQL and SQLite built the set of every visible person first (240,000 ids
    at 100,000 MSMEs) before they could return a page of 50; per row, the database walks the
    list in its order and stops once the page is full."""
    members = Membership.objects.filter(person_id=OuterRef(person_ref), is_active=True)
    condition = Q(**{person_ref: reach.person_id}) if reach.person_id else Q(pk__in=[])
    if every := _programmes_where(reach, ALL_MEMBERS_ROLES):
        condition |= _has(members.filter(programme_id__in=every))
    if reach.partner_programme_ids:
        condition |= _has(members.filter(programme_id__in=reach.partner_programme_ids, role__in=PROFESSIONAL_ROLES))
    if reach.programme_ids:
        condition |= _has(members.filter(programme_id__in=reach.programme_ids, role=Role.TRAINER))
    if working := _programmes_where(reach, WORKING_ROLES):
        condition |= _has(enterprises_visible_to(user).filter(programme_id__in=working, owner_id=OuterRef(person_ref)))
    return condition


def persons_visible_to(user) -> QuerySet[Person]:
    reach = reach_of(user)
    if reach.is_global:
        return Person.objects.all()
    return Person.objects.filter(_seen_people(user, reach, "pk"))


def memberships_visible_to(user) -> QuerySet[Membership]:
    """One's own memberships, and those of the people one sees in the programmes one belongs to."""
    reach = reach_of(user)
    if reach.is_global:
        return Membership.objects.all()
    condition = Q(person_id=reach.person_id)
    if every := _programmes_where(reach, ALL_MEMBERS_ROLES):
        # Whoever holds an active role in such a programme is someone the user sees, so these
        # need no look-up of the people: at 100,000 MSMEs the look-up read 240,000 people
        # before the first page (1.2 s); the database now asks it only of the other rows.
        condition |= Q(programme_id__in=every, is_active=True)
    seen = _seen_people(user, reach, "person_id")
    return Membership.objects.filter(condition | Q(Q(programme_id__in=reach.programme_ids) & seen))


@dataclass(frozen=True)
class Disclosure:
    """How much of a person a viewer may see."""

    identity: bool = False  # name, sex, birth year, language, locality
    contact: bool = False  # email and phone
    is_self: bool = False


def disclosure(user, person, *, visible: bool | None = None) -> Disclosure:
    """What of ``person`` ``user`` may see. ``visible``: whether the person is already known to be
    in ``persons_visible_to(user)`` (a list's rows are); None asks the database."""
    if person is None:
        return Disclosure()
    if reach_of(user).person_id == person.pk:
        return Disclosure(identity=True, contact=True, is_self=True)
    if visible is None:
        visible = persons_visible_to(user).filter(pk=person.pk).exists()
    if not visible:
        return Disclosure()
    return Disclosure(identity=True, contact=person.has_contact_consent)


def hidden_person_fields(user, person, *, visible: bool | None = True) -> tuple[str, ...]:
    """The fields of ``person`` that a row shown to ``user`` must blank (API, exports)."""
    return () if disclosure(user, person, visible=visible).contact else CONTACT_FIELDS
