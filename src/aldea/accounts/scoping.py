"""Who may see and change what: plain queryset functions shared by the API and the pages.

A user's reach comes from their person's *active* memberships (role × programme, optionally a
village or an organisation). Staff and superusers see and change everything.

Seeing (``*_visible_to(user)``):

* manager, analyst: everything in their programme.
* partner: the villages of their programme where their organisation holds a VillagePartnerRole
  (plus the membership's own village); the whole programme when the membership has no village.
* trainer: the membership's village; the whole programme when it has none.
* consultant: the MSMEs of the membership's village plus the MSMEs they have engagements with,
  never another programme's.
* msme_owner: only the MSMEs they own, and those MSMEs' products, listings, outcomes,
  assessments and engagements.

Changing (``*_writable_by(user)``, the rows a write may touch or hang from):

* manager: everything in their programme.
* trainer: the training records (sessions, enrolments, attendance, results, certificates) of
  the cohorts they train.
* consultant: engagements, meetings, action items, assessments, products, listings and
  outcomes of the MSMEs they can see.
* msme_owner: the products of their own MSMEs.
* analyst, partner: nothing.

Every function returns a lazy queryset built from id sets and subqueries, so scoping costs the
same few SQL queries whatever the number of rows. The membership rows are read once per user
object (``reach_of``), which is once per request.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from aldea.accounts.models import Membership, Person, Role
from aldea.consulting.models import ActionItem, Engagement, Meeting, StageChange
from aldea.diagnostics.models import Answer, Assessment
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from aldea.programmes.models import (
    Indicator,
    IndicatorTarget,
    Programme,
    Village,
    VillageStatusChange,
)
from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    TrainingSession,
)


@dataclass(frozen=True)
class Reach:
    """A user's active memberships, reduced to the id sets the scoping rules need."""

    is_global: bool = False
    person_id: int | None = None
    # The roles of the active memberships (navigation and role homes read them).
    roles: frozenset = frozenset()
    programme_ids: frozenset = frozenset()
    # Programmes the user sees whole: manager, analyst, and partner or trainer with no village.
    wide_programme_ids: frozenset = frozenset()
    manager_programme_ids: frozenset = frozenset()
    trainer_programme_ids: frozenset = frozenset()
    consultant_programme_ids: frozenset = frozenset()
    owner_programme_ids: frozenset = frozenset()
    # Villages named on trainer and partner memberships (work that oversees a village).
    oversight_village_ids: frozenset = frozenset()
    consultant_village_ids: frozenset = frozenset()
    owner_village_ids: frozenset = frozenset()
    # (programme id, organisation id) of partner memberships that name a village.
    partner_organisations: tuple = field(default=())

    @property
    def can_write_anything(self) -> bool:
        return self.is_global or bool(
            self.manager_programme_ids
            or self.trainer_programme_ids
            or self.consultant_programme_ids
            or self.owner_programme_ids
        )


def is_global(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def reach_of(user) -> Reach:
    """The user's reach, read with at most two queries and cached on the user object."""
    cached = getattr(user, "_aldea_reach", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        reach = Reach()
    elif is_global(user):
        reach = Reach(is_global=True)
    else:
        rows = list(
            Membership.objects.filter(person__user=user, is_active=True).values_list(
                "person_id", "role", "programme_id", "village_id", "organisation_id"
            )
        )
        person_id = rows[0][0] if rows else Person.objects.filter(user=user).values_list("id", flat=True).first()
        sets = {name: set() for name in (
            "programme", "wide", "manager", "trainer", "consultant", "owner",
            "oversight_village", "consultant_village", "owner_village",
        )}
        partner_organisations = set()
        for _, role, programme_id, village_id, organisation_id in rows:
            sets["programme"].add(programme_id)
            if role in (Role.MANAGER, Role.ANALYST):
                sets["wide"].add(programme_id)
            if role == Role.MANAGER:
                sets["manager"].add(programme_id)
            elif role in (Role.TRAINER, Role.PARTNER):
                if role == Role.TRAINER:
                    sets["trainer"].add(programme_id)
                if village_id is None:
                    sets["wide"].add(programme_id)
                else:
                    sets["oversight_village"].add(village_id)
                    if role == Role.PARTNER and organisation_id is not None:
                        partner_organisations.add((programme_id, organisation_id))
            elif role == Role.CONSULTANT:
                sets["consultant"].add(programme_id)
                if village_id is not None:
                    sets["consultant_village"].add(village_id)
            elif role == Role.MSME_OWNER:
                sets["owner"].add(programme_id)
                if village_id is not None:
                    sets["owner_village"].add(village_id)
        reach = Reach(
            person_id=person_id,
            roles=frozenset(role for _, role, *_rest in rows),
            programme_ids=frozenset(sets["programme"]),
            wide_programme_ids=frozenset(sets["wide"]),
            manager_programme_ids=frozenset(sets["manager"]),
            trainer_programme_ids=frozenset(sets["trainer"]),
            consultant_programme_ids=frozenset(sets["consultant"]),
            owner_programme_ids=frozenset(sets["owner"]),
            oversight_village_ids=frozenset(sets["oversight_village"]),
            consultant_village_ids=frozenset(sets["consultant_village"]),
            owner_village_ids=frozenset(sets["owner_village"]),
            partner_organisations=tuple(sorted(partner_organisations)),
        )
    try:
        user._aldea_reach = reach
    except AttributeError:  # AnonymousUser is a plain object too, but be safe with proxies
        pass
    return reach


def _nothing() -> Q:
    return Q(pk__in=[])


def _any(*conditions: Q) -> Q:
    """OR of the conditions; matches nothing when there are none."""
    result = _nothing()
    for condition in conditions:
        result |= condition
    return result


def _oversight_village_q(reach: Reach, path: str) -> Q:
    """Villages a trainer or partner oversees, as a condition on the village id at ``path``."""
    conditions = []
    if reach.oversight_village_ids:
        conditions.append(Q(**{f"{path}__in": reach.oversight_village_ids}))
    for programme_id, organisation_id in reach.partner_organisations:
        hosted = VillagePartnerRole.objects.filter(
            organisation_id=organisation_id, village__programme_id=programme_id
        ).values("village_id")
        conditions.append(Q(**{f"{path}__in": hosted}))
    return _any(*conditions)


# --- programmes -------------------------------------------------------------------------------


def programmes_visible_to(user) -> QuerySet[Programme]:
    reach = reach_of(user)
    if reach.is_global:
        return Programme.objects.all()
    return Programme.objects.filter(id__in=reach.programme_ids)


def programmes_managed_by(user) -> QuerySet[Programme]:
    """Programmes whose records the user may create, change and delete."""
    reach = reach_of(user)
    if reach.is_global:
        return Programme.objects.all()
    return Programme.objects.filter(id__in=reach.manager_programme_ids)


def villages_visible_to(user) -> QuerySet[Village]:
    reach = reach_of(user)
    if reach.is_global:
        return Village.objects.all()
    condition = _any(
        Q(programme_id__in=reach.wide_programme_ids),
        _oversight_village_q(reach, "id"),
        Q(id__in=reach.consultant_village_ids | reach.owner_village_ids),
    )
    if reach.owner_programme_ids and reach.person_id:
        condition |= Q(id__in=_owned_enterprises(reach).values("village_id"))
    return Village.objects.filter(condition)


def villages_writable_by(user) -> QuerySet[Village]:
    return Village.objects.filter(programme__in=programmes_managed_by(user))


def village_status_changes_visible_to(user) -> QuerySet[VillageStatusChange]:
    return VillageStatusChange.objects.filter(village__in=villages_visible_to(user))


def indicators_visible_to(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(programme__in=programmes_visible_to(user))


def indicator_targets_visible_to(user) -> QuerySet[IndicatorTarget]:
    return IndicatorTarget.objects.filter(
        Q(village__isnull=True) | Q(village__in=villages_visible_to(user)),
        indicator__programme__in=programmes_visible_to(user),
    )


# --- people -----------------------------------------------------------------------------------


def persons_visible_to(user) -> QuerySet[Person]:
    """Themselves; everyone with a role in a programme they see whole or train in; the
    trainers of their programmes; and the owners of the MSMEs they see."""
    reach = reach_of(user)
    if reach.is_global:
        return Person.objects.all()
    return Person.objects.filter(
        Q(id=reach.person_id)
        | Q(id__in=Membership.objects.filter(programme_id__in=reach.wide_programme_ids).values("person_id"))
        # Trainers enrol, grade and certify the programme's participants.
        | Q(id__in=Membership.objects.filter(programme_id__in=reach.trainer_programme_ids).values("person_id"))
        # Every member may name a trainer of their programme (a consultant's supervisor).
        | Q(id__in=Membership.objects.filter(programme_id__in=reach.programme_ids, role=Role.TRAINER).values("person_id"))
        | Q(id__in=enterprises_visible_to(user).values("owner_id"))
    )


def persons_writable_by(user) -> QuerySet[Person]:
    reach = reach_of(user)
    if reach.is_global:
        return Person.objects.all()
    managed = reach.manager_programme_ids
    return Person.objects.filter(
        Q(id__in=Membership.objects.filter(programme_id__in=managed).values("person_id"))
        | Q(id__in=Enterprise.objects.filter(programme_id__in=managed).values("owner_id"))
    )


def memberships_visible_to(user) -> QuerySet[Membership]:
    reach = reach_of(user)
    if reach.is_global:
        return Membership.objects.all()
    return Membership.objects.filter(
        Q(person_id=reach.person_id) | Q(programme_id__in=reach.wide_programme_ids)
    )


# --- partners ---------------------------------------------------------------------------------


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Partner institutions are public knowledge: every signed-in user sees all of them."""
    return Organisation.objects.all() if user.is_authenticated else Organisation.objects.none()


def organisations_writable_by(user) -> QuerySet[Organisation]:
    """Organisations tied to a programme the user manages (by agreement, village role or membership)."""
    reach = reach_of(user)
    if reach.is_global:
        return Organisation.objects.all()
    managed = reach.manager_programme_ids
    return Organisation.objects.filter(
        Q(id__in=Agreement.parties.through.objects.filter(agreement__programme_id__in=managed).values("organisation_id"))
        | Q(id__in=VillagePartnerRole.objects.filter(village__programme_id__in=managed).values("organisation_id"))
        | Q(id__in=Membership.objects.filter(programme_id__in=managed).values("organisation_id"))
    )


def agreements_visible_to(user) -> QuerySet[Agreement]:
    return Agreement.objects.filter(programme__in=programmes_visible_to(user))


def village_partner_roles_visible_to(user) -> QuerySet[VillagePartnerRole]:
    return VillagePartnerRole.objects.filter(village__in=villages_visible_to(user))


# --- enterprises and the work done with them --------------------------------------------------


def _owned_enterprises(reach: Reach) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(owner_id=reach.person_id, programme_id__in=reach.owner_programme_ids)


def _consulted_enterprises(reach: Reach) -> QuerySet[Enterprise]:
    """The MSMEs a consultant works with: their village's, and those they have engagements with."""
    if not reach.consultant_programme_ids:
        return Enterprise.objects.none()
    engaged = Engagement.objects.filter(consultant_id=reach.person_id).values("enterprise_id")
    return Enterprise.objects.filter(
        Q(village_id__in=reach.consultant_village_ids) | Q(id__in=engaged),
        programme_id__in=reach.consultant_programme_ids,
    )


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    condition = _any(
        Q(programme_id__in=reach.wide_programme_ids),
        _oversight_village_q(reach, "village_id"),
    )
    if reach.consultant_programme_ids:
        condition |= Q(id__in=_consulted_enterprises(reach).values("id"))
    if reach.owner_programme_ids and reach.person_id:
        condition |= Q(owner_id=reach.person_id, programme_id__in=reach.owner_programme_ids)
    return Enterprise.objects.filter(condition)


def enterprises_served_by(user) -> QuerySet[Enterprise]:
    """MSMEs whose engagements, assessments, products, listings and outcomes the user may write."""
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    condition = Q(programme_id__in=reach.manager_programme_ids)
    if reach.consultant_programme_ids:
        condition |= Q(id__in=_consulted_enterprises(reach).values("id"))
    return Enterprise.objects.filter(condition)


def enterprises_with_editable_products(user) -> QuerySet[Enterprise]:
    """Those served by the user, plus an owner's own MSMEs (owners keep their catalogue)."""
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    condition = Q(id__in=enterprises_served_by(user).values("id"))
    if reach.owner_programme_ids and reach.person_id:
        condition |= Q(owner_id=reach.person_id, programme_id__in=reach.owner_programme_ids)
    return Enterprise.objects.filter(condition)


def products_visible_to(user) -> QuerySet[Product]:
    return Product.objects.filter(enterprise__in=enterprises_visible_to(user))


def listings_visible_to(user) -> QuerySet[Listing]:
    return Listing.objects.filter(product__enterprise__in=enterprises_visible_to(user))


def outcome_records_visible_to(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(enterprise__in=enterprises_visible_to(user))


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(enterprise__in=enterprises_visible_to(user))


def answers_visible_to(user) -> QuerySet[Answer]:
    return Answer.objects.filter(assessment__enterprise__in=enterprises_visible_to(user))


def engagements_visible_to(user) -> QuerySet[Engagement]:
    return Engagement.objects.filter(enterprise__in=enterprises_visible_to(user))


def stage_changes_visible_to(user) -> QuerySet[StageChange]:
    return StageChange.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


# --- training ---------------------------------------------------------------------------------


def courses_visible_to(user) -> QuerySet[Course]:
    return Course.objects.filter(programme__in=programmes_visible_to(user))


def _overseen_cohorts_q(reach: Reach) -> Q:
    """Cohorts whose participants' records the user may read: programme-wide roles, the
    trainer's or partner's village, and cohorts the user trains."""
    condition = _any(
        Q(course__programme_id__in=reach.wide_programme_ids),
        _oversight_village_q(reach, "village_id"),
    )
    if reach.person_id:
        trained = Cohort.trainers.through.objects.filter(person_id=reach.person_id).values("cohort_id")
        condition |= Q(id__in=trained, course__programme_id__in=reach.programme_ids)
    return condition


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    reach = reach_of(user)
    if reach.is_global:
        return Cohort.objects.all()
    condition = _overseen_cohorts_q(reach) | Q(village_id__in=reach.consultant_village_ids)
    if reach.person_id:
        enrolled = Enrolment.objects.filter(person_id=reach.person_id).values("cohort_id")
        condition |= Q(id__in=enrolled, course__programme_id__in=reach.programme_ids)
    return Cohort.objects.filter(condition)


def cohorts_writable_by(user) -> QuerySet[Cohort]:
    """Cohorts whose sessions, enrolments, attendance, results and certificates the user may write."""
    reach = reach_of(user)
    if reach.is_global:
        return Cohort.objects.all()
    condition = Q(course__programme_id__in=reach.manager_programme_ids)
    if reach.trainer_programme_ids and reach.person_id:
        trained = Cohort.trainers.through.objects.filter(person_id=reach.person_id).values("cohort_id")
        condition |= Q(id__in=trained, course__programme_id__in=reach.trainer_programme_ids)
    return Cohort.objects.filter(condition)


def training_sessions_visible_to(user) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(cohort__in=cohorts_visible_to(user))


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """Participants' records are private: overseers see the cohort's, everyone else their own."""
    reach = reach_of(user)
    if reach.is_global:
        return Enrolment.objects.all()
    overseen = Cohort.objects.filter(_overseen_cohorts_q(reach)).values("id")
    return Enrolment.objects.filter(
        Q(cohort_id__in=overseen) | Q(person_id=reach.person_id, cohort__course__programme_id__in=reach.programme_ids)
    )


def attendance_visible_to(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(enrolment__in=enrolments_visible_to(user))


def assessment_results_visible_to(user) -> QuerySet[AssessmentResult]:
    return AssessmentResult.objects.filter(enrolment__in=enrolments_visible_to(user))


def certificates_visible_to(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrolment__in=enrolments_visible_to(user))


# --- the import door (interop): rules the imports needed that no other door had yet ----------
# Added by the interop branch (issue 9); candidates for the enterprises and accounts policy modules.


def enterprises_writable_by(user) -> QuerySet[Enterprise]:
    """MSMEs whose own record (name, village, owner, group, ...) the user may change: those of the
    programmes they manage, as the enterprises API writes them (anchored on the programme)."""
    return Enterprise.objects.filter(programme__in=programmes_managed_by(user))


def persons_writable_in(user, programme_ids) -> QuerySet[Person]:
    """``persons_writable_by`` narrowed to the people of the given programmes (their members and
    the owners of their MSMEs), e.g. who may be named owner of an MSME of those programmes.
    Staff may name anyone."""
    people = persons_writable_by(user)
    if reach_of(user).is_global:
        return people
    return people.filter(
        Q(id__in=Membership.objects.filter(programme_id__in=programme_ids).values("person_id"))
        | Q(id__in=Enterprise.objects.filter(programme_id__in=programme_ids).values("owner_id"))
    )
