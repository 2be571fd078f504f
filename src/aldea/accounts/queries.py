"""A user's reach, and the rules about memberships and about changing people.

A user's *reach* comes from their person's active memberships (role × programme, optionally
narrowed to a village or an organisation). Staff and superusers reach everything. Every app's
``queries.py`` builds its ``*_visible_to`` and ``*_writable_by`` from the reach, so the reach is
read once per request (cached on the user object) and every rule costs the same few SQL
queries whatever the number of rows.

Who a user may *see* of other people depends on everything that links them (roles, MSMEs,
engagements), so that rule lives higher up, in ``aldea.people.queries``. Who a user may *change*
or *name* in a write depends only on memberships, so it lives here, where every app can use it:

* a manager changes the people who hold a role in a programme they manage;
* a write may name (as trainer, participant, consultant, owner, assessor) a person who holds an
  active role in one of the writer's programmes; each write then checks the role it needs.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from aldea.accounts.models import Membership, Person, Role
from aldea.core.access import is_global

# Roles that do the programme's work and may know whom it serves (partners and owners do not).
WORKING_ROLES = frozenset({Role.MANAGER, Role.TRAINER, Role.CONSULTANT, Role.ANALYST})
# Roles held in a professional capacity: their holders' names are shown to the programme's
# partners; an MSME owner's are not.
PROFESSIONAL_ROLES = frozenset({Role.MANAGER, Role.TRAINER, Role.CONSULTANT, Role.PARTNER, Role.ANALYST})


@dataclass(frozen=True)
class Reach:
    """A user's active memberships, reduced to the id sets the rules need."""

    is_global: bool = False
    person_id: int | None = None
    roles: frozenset = frozenset()
    # programme id → the roles held there; a person may hold different roles in two programmes.
    roles_by_programme: dict = field(default_factory=dict)
    programme_ids: frozenset = frozenset()
    # Programmes seen whole: manager, analyst, and partner or trainer with no village.
    wide_programme_ids: frozenset = frozenset()
    manager_programme_ids: frozenset = frozenset()
    trainer_programme_ids: frozenset = frozenset()
    consultant_programme_ids: frozenset = frozenset()
    owner_programme_ids: frozenset = frozenset()
    partner_programme_ids: frozenset = frozenset()
    # Villages a trainer or partner oversees: the membership's village and, for a partner, every
    # village of that programme where the partner's organisation holds a role.
    oversight_village_ids: frozenset = frozenset()
    consultant_village_ids: frozenset = frozenset()
    owner_village_ids: frozenset = frozenset()

    def roles_in(self, programme_id) -> frozenset:
        if self.is_global:
            return frozenset(Role)
        return self.roles_by_programme.get(programme_id, frozenset())

    def holds(self, roles, programme_id=None) -> bool:
        """Whether the user holds one of ``roles`` (in ``programme_id`` when given)."""
        if self.is_global:
            return True
        held = self.roles if programme_id is None else self.roles_in(programme_id)
        return bool(held & frozenset(roles))


def reach_of(user) -> Reach:
    """The user's reach, read with at most three queries and cached on the user object."""
    cached = getattr(user, "_aldea_reach", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        reach = Reach()
    elif is_global(user):
        reach = Reach(is_global=True)
    else:
        reach = _reach_from_memberships(user)
    try:
        user._aldea_reach = reach
    except AttributeError:  # a read-only user proxy: compute again next time
        pass
    return reach


def _reach_from_memberships(user) -> Reach:
    rows = list(
        Membership.objects.filter(person__user=user, is_active=True).values_list(
            "id", "person_id", "role", "programme_id", "village_id", "organisation_id"
        )
    )
    person_id = rows[0][1] if rows else Person.objects.filter(user=user).values_list("id", flat=True).first()
    by_programme: dict[int, set] = {}
    sets = {name: set() for name in (
        "wide", "manager", "trainer", "consultant", "owner", "partner",
        "oversight_village", "consultant_village", "owner_village",
    )}
    narrowed_partner_memberships = []
    for membership_id, _person, role, programme_id, village_id, organisation_id in rows:
        by_programme.setdefault(programme_id, set()).add(role)
        if role in (Role.MANAGER, Role.ANALYST):
            sets["wide"].add(programme_id)
        if role == Role.MANAGER:
            sets["manager"].add(programme_id)
        elif role in (Role.TRAINER, Role.PARTNER):
            sets["trainer" if role == Role.TRAINER else "partner"].add(programme_id)
            if village_id is None:
                sets["wide"].add(programme_id)
            else:
                sets["oversight_village"].add(village_id)
                if role == Role.PARTNER and organisation_id is not None:
                    narrowed_partner_memberships.append(membership_id)
        elif role == Role.CONSULTANT:
            sets["consultant"].add(programme_id)
            if village_id is not None:
                sets["consultant_village"].add(village_id)
        elif role == Role.MSME_OWNER:
            sets["owner"].add(programme_id)
            if village_id is not None:
                sets["owner_village"].add(village_id)
    if narrowed_partner_memberships:
        # The villages of the membership's programme where its organisation holds a role.
        sets["oversight_village"] |= set(
            Membership.objects.filter(
                id__in=narrowed_partner_memberships,
                organisation__village_roles__village__programme_id=F("programme_id"),
            ).values_list("organisation__village_roles__village_id", flat=True)
        )
    return Reach(
        person_id=person_id,
        roles=frozenset(role for _id, _p, role, *_rest in rows),
        roles_by_programme={p: frozenset(r) for p, r in by_programme.items()},
        programme_ids=frozenset(by_programme),
        wide_programme_ids=frozenset(sets["wide"]),
        manager_programme_ids=frozenset(sets["manager"]),
        trainer_programme_ids=frozenset(sets["trainer"]),
        consultant_programme_ids=frozenset(sets["consultant"]),
        owner_programme_ids=frozenset(sets["owner"]),
        partner_programme_ids=frozenset(sets["partner"]),
        oversight_village_ids=frozenset(sets["oversight_village"]),
        consultant_village_ids=frozenset(sets["consultant_village"]),
        owner_village_ids=frozenset(sets["owner_village"]),
    )


def manages(user, programme_id) -> bool:
    """Whether the user may change the programme's records (no query once the reach is read)."""
    reach = reach_of(user)
    return reach.is_global or programme_id in reach.manager_programme_ids


def sees_whole(user, programme_id) -> bool:
    """Whether the user sees every record of the programme (no village narrowing)."""
    reach = reach_of(user)
    return reach.is_global or programme_id in reach.wide_programme_ids


def manages_any(user) -> bool:
    reach = reach_of(user)
    return reach.is_global or bool(reach.manager_programme_ids)


# --- memberships ------------------------------------------------------------------------------


def members_of(programme_ids, roles=None) -> QuerySet[Person]:
    """People holding an active membership in one of the programmes (in one of ``roles``)."""
    memberships = Membership.objects.filter(programme_id__in=programme_ids, is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return Person.objects.filter(id__in=memberships.values("person_id"))


def memberships_visible_to(user) -> QuerySet[Membership]:
    """One's own memberships, and every membership of a programme one sees whole."""
    reach = reach_of(user)
    if reach.is_global:
        return Membership.objects.all()
    return Membership.objects.filter(
        Q(person_id=reach.person_id) | Q(programme_id__in=reach.wide_programme_ids)
    )


def memberships_writable_by(user) -> QuerySet[Membership]:
    reach = reach_of(user)
    if reach.is_global:
        return Membership.objects.all()
    return Membership.objects.filter(programme_id__in=reach.manager_programme_ids)


# --- changing and naming people ---------------------------------------------------------------


def persons_writable_by(user) -> QuerySet[Person]:
    """People a user may change: those with a role (active or ended) in a programme they manage,
    and the owners of its MSMEs."""
    reach = reach_of(user)
    if reach.is_global:
        return Person.objects.all()
    managed = reach.manager_programme_ids
    return Person.objects.filter(
        Q(id__in=Membership.objects.filter(programme_id__in=managed).values("person_id"))
        | Q(id__in=Person.objects.filter(enterprises__programme_id__in=managed).values("id"))
    )


def persons_writable_in(user, programme_ids) -> QuerySet[Person]:
    """``persons_writable_by`` narrowed to the people of ``programme_ids`` (their members and the
    owners of their MSMEs): whom a write may name as the owner of an MSME there."""
    people = persons_writable_by(user)
    if reach_of(user).is_global:
        return people
    return people.filter(
        Q(id__in=Membership.objects.filter(programme_id__in=programme_ids).values("person_id"))
        | Q(enterprises__programme_id__in=programme_ids)
    ).distinct()


def persons_nameable_by(user) -> QuerySet[Person]:
    """People a write by ``user`` may refer to: themselves and whoever holds an active role in one
    of the user's programmes. The write then checks the role it needs (an engagement's
    consultant must be a consultant of the MSME's programme, and so on)."""
    reach = reach_of(user)
    if reach.is_global:
        return Person.objects.all()
    return Person.objects.filter(
        Q(id=reach.person_id) | Q(id__in=members_of(reach.programme_ids).values("id"))
    )


def audit_entries_visible_to(user):
    """The audit trail a user may read: the programmes they manage; staff read all of it,
    including entries of no programme (people, reference data, accounts)."""
    from aldea.ops.models import AuditEntry

    reach = reach_of(user)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if reach.is_global:
        return entries
    return entries.filter(programme_id__in=reach.manager_programme_ids)


def memberships_manageable_by(user) -> QuerySet[Membership]:
    """Memberships whose role a user may change or end: those of the programmes they manage,
    never a staff or superuser account's (staff and superusers manage everyone's)."""
    memberships = memberships_writable_by(user)
    if reach_of(user).is_global:
        return memberships
    return memberships.exclude(Q(person__user__is_staff=True) | Q(person__user__is_superuser=True))


def invitations_visible_to(user):
    """Invitations of the programmes a user manages."""
    from aldea.accounts.models import Invitation

    reach = reach_of(user)
    if reach.is_global:
        return Invitation.objects.all()
    return Invitation.objects.filter(programme_id__in=reach.manager_programme_ids)
