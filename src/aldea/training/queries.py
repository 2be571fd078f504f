"""Who may see and change the training cascade's records, and the cascade itself.

* Courses and sessions are seen with their programme and cohort.
* A cohort is seen by programme-wide roles, by the trainer or partner of its village, by its
  trainers, by the consultants of its village and by its participants.
* Participants' records (enrolments, attendance, results, certificates) are private: the
  cohort's overseers (programme-wide roles, the village's trainer or partner, the cohort's
  trainers) see them; everyone else sees their own.
* Changing: the programme's managers, and a cohort's own trainers for that cohort (its schedule,
  participants and records; its settings and trainers are the managers').
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from aldea.accounts.queries import Reach, reach_of
from aldea.programmes.queries import programmes_managed_by, programmes_visible_to
from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Certificate,
    Cohort,
    Course,
    CourseLevel,
    Enrolment,
    TrainingSession,
)


def courses_visible_to(user) -> QuerySet[Course]:
    return Course.objects.filter(programme__in=programmes_visible_to(user))


def courses_writable_by(user) -> QuerySet[Course]:
    return Course.objects.filter(programme__in=programmes_managed_by(user))


def _overseen_cohorts(reach: Reach) -> Q:
    """Cohorts whose participants' records the user may read."""
    condition = Q(course__programme_id__in=reach.wide_programme_ids) | Q(village_id__in=reach.oversight_village_ids)
    if reach.person_id:
        condition |= Q(id__in=_trained_by(reach.person_id), course__programme_id__in=reach.programme_ids)
    return condition


def _trained_by(person_id):
    return Cohort.trainers.through.objects.filter(person_id=person_id).values("cohort_id")


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    reach = reach_of(user)
    if reach.is_global:
        return Cohort.objects.all()
    condition = _overseen_cohorts(reach) | Q(village_id__in=reach.consultant_village_ids)
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
        condition |= Q(id__in=_trained_by(reach.person_id), course__programme_id__in=reach.trainer_programme_ids)
    return Cohort.objects.filter(condition)


def cohorts_managed_by(user) -> QuerySet[Cohort]:
    """Cohorts whose course, village, trainers, dates and capacity the user may change: the
    programme's managers' (a cohort's trainers keep its schedule and records, not its settings)."""
    return Cohort.objects.filter(course__in=courses_writable_by(user))


def training_sessions_visible_to(user) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(cohort__in=cohorts_visible_to(user))


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    reach = reach_of(user)
    if reach.is_global:
        return Enrolment.objects.all()
    overseen = Cohort.objects.filter(_overseen_cohorts(reach)).values("id")
    return Enrolment.objects.filter(
        Q(cohort_id__in=overseen)
        | Q(person_id=reach.person_id, cohort__course__programme_id__in=reach.programme_ids)
    )


def enrolments_writable_by(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(cohort__in=cohorts_writable_by(user))


# Records with an enrolment (attendance, results, certificates), listed by the API a page at a
# time in key order. A user who oversees no programme and no village sees only their own
# enrolments and those of the cohorts they train: at most a few hundred among 200,000 at
# national scale. Given as a subquery, PostgreSQL walked the 1.6 million attendance rows in key
# order to find theirs (4.5 s a page); given as a list of ids, the database starts from those
# enrolments. An overseer sees a large share: the rows of the programmes and villages they
# oversee are recognised by joins, row by row as the key order reaches them, and the subquery of
# ``enrolments_visible_to`` is asked only of the others (building it first took up to 0.8 s).
PERSONAL_ENROLMENTS_MAX = 2000


def _records_of(user) -> Q:
    """The records of the enrolments ``enrolments_visible_to(user)``, as a condition quick to
    page through. Reads the user's enrolments now when they are a personal few (one query)."""
    reach = reach_of(user)
    if reach.is_global:
        return Q()
    visible = enrolments_visible_to(user)
    if not reach.wide_programme_ids and not reach.oversight_village_ids:
        ids = list(visible.values_list("id", flat=True)[: PERSONAL_ENROLMENTS_MAX + 1])
        if len(ids) <= PERSONAL_ENROLMENTS_MAX:
            return Q(enrolment_id__in=ids)
    condition = Q(enrolment__in=visible)
    if reach.wide_programme_ids:
        condition = Q(enrolment__cohort__course__programme_id__in=reach.wide_programme_ids) | condition
    if reach.oversight_village_ids:
        condition = Q(enrolment__cohort__village_id__in=reach.oversight_village_ids) | condition
    return condition


def attendance_listed_for(user) -> QuerySet[Attendance]:
    """The rows of ``attendance_visible_to``, in a form quick to page through (see above): for
    the API's list of a table of millions."""
    return Attendance.objects.filter(_records_of(user))


def assessment_results_listed_for(user) -> QuerySet[AssessmentResult]:
    """The rows of ``assessment_results_visible_to``, quick to page through (``attendance_listed_for``)."""
    return AssessmentResult.objects.filter(_records_of(user))


def certificates_listed_for(user) -> QuerySet[Certificate]:
    """The rows of ``certificates_visible_to``, quick to page through (``attendance_listed_for``)."""
    return Certificate.objects.filter(_records_of(user))


def attendance_visible_to(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(enrolment__in=enrolments_visible_to(user))


def assessment_results_visible_to(user) -> QuerySet[AssessmentResult]:
    return AssessmentResult.objects.filter(enrolment__in=enrolments_visible_to(user))


def certificates_visible_to(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrolment__in=enrolments_visible_to(user))


# --- the cascade ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeLink:
    """One path through the cascade: a trainer taught a consultant cohort, one of whose
    consultants then served an MSME of the village."""

    trainer_id: int
    trainer_name: str
    cohort_code: str
    consultant_id: int
    consultant_name: str
    enterprise_code: str
    enterprise_name: str


@dataclass(frozen=True)
class TrainerCascade:
    """One trainer's reach in a village's cascade: distinct consultants trained, MSMEs they served."""

    trainer_id: int
    trainer_name: str
    consultants: int
    msmes: int


def _cascade_enrolments(village, enterprises):
    # One filter() call, so that the enterprise conditions apply to the same engagement join.
    engagement = {"person__engagements__enterprise__village": village}
    if enterprises is not None:
        engagement["person__engagements__enterprise__in"] = enterprises
    return Enrolment.objects.filter(
        cohort__course__level=CourseLevel.CONSULTANT,
        cohort__course__programme_id=village.programme_id,
        cohort__trainers__isnull=False,
        **engagement,
    ).exclude(status=Enrolment.Status.WITHDRAWN)


def cascade_summary_for_village(village, *, enterprises=None) -> tuple[list[TrainerCascade], dict]:
    """``cascade_for_village`` counted in the database: per trainer (most MSMEs first), and the
    distinct ``consultants`` and ``msmes`` of the whole village. Two queries, whatever the size:
    the links themselves are tens of thousands of rows for a village at national scale."""
    links = _cascade_enrolments(village, enterprises)
    per_trainer = (
        links.values("cohort__trainers__id", "cohort__trainers__given_name", "cohort__trainers__family_name")
        .annotate(consultants=Count("person_id", distinct=True),
                  msmes=Count("person__engagements__enterprise_id", distinct=True))
        .order_by()
    )
    trainers = sorted(
        (
            TrainerCascade(
                trainer_id=row["cohort__trainers__id"],
                trainer_name=f"{row['cohort__trainers__given_name']} {row['cohort__trainers__family_name']}".strip(),
                consultants=row["consultants"], msmes=row["msmes"],
            )
            for row in per_trainer
        ),
        key=lambda t: (-t.msmes, t.trainer_name),
    )
    totals = links.aggregate(consultants=Count("person_id", distinct=True),
                             msmes=Count("person__engagements__enterprise_id", distinct=True))
    return trainers, totals


def cascade_for_village(village, *, enterprises=None) -> list[CascadeLink]:
    """Which trainer trained which consultants, who then served which of the village's MSMEs.

    A consultant counts as trained by every trainer of every consultant-level cohort of the
    village's programme they were enrolled in (and did not withdraw from), wherever that cohort
    met; an MSME counts as served by every consultant with an engagement with it, dropped or
    not. ``enterprises``: the MSMEs to follow (those the viewer sees); all when None. One query,
    ordered by trainer, consultant and MSME.

    Example: ``cascade_for_village(teotitlan)[0].trainer_name`` → ``"Ana López"``.
    """
    # The values() below reuse the joins of the filter(), so each row is one enrolment of one
    # consultant who has an engagement with an MSME of this village.
    rows = (
        _cascade_enrolments(village, enterprises)
        .values_list(
            "cohort__trainers__id",
            "cohort__trainers__given_name",
            "cohort__trainers__family_name",
            "cohort__code",
            "person_id",
            "person__given_name",
            "person__family_name",
            "person__engagements__enterprise__code",
            "person__engagements__enterprise__name",
        )
        .distinct()
        .order_by(
            "cohort__trainers__family_name", "cohort__trainers__given_name", "cohort__trainers__id",
            "person__family_name", "person__given_name", "person_id", "person__engagements__enterprise__code",
            "cohort__code",
        )
    )
    return [
        CascadeLink(
            trainer_id=trainer_id,
            trainer_name=f"{trainer_given} {trainer_family}".strip(),
            cohort_code=cohort_code,
            consultant_id=consultant_id,
            consultant_name=f"{consultant_given} {consultant_family}".strip(),
            enterprise_code=enterprise_code,
            enterprise_name=enterprise_name,
        )
        for (
            trainer_id, trainer_given, trainer_family, cohort_code, consultant_id, consultant_given,
            consultant_family, enterprise_code, enterprise_name,
        ) in rows
    ]
