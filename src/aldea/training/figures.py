"""What the training pages show, computed in a fixed number of queries whatever the cohort size."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Cohort,
    Course,
    CourseLevel,
    Enrolment,
)
from aldea.training.services import gaps_from_counts

# Cohort links listed under each course of the catalogue; the count shows the rest.
COHORTS_PER_COURSE = 6


@dataclass
class RosterRow:
    enrolment: Enrolment
    sessions: int
    attended: int
    average_score: Decimal | None
    certificate: object | None
    gaps: list[str] = field(default_factory=list)

    @property
    def attendance_share(self) -> float | None:
        """Share of the cohort's sessions attended (0–1); None before the first session."""
        return self.attended / self.sessions if self.sessions else None

    @property
    def is_eligible(self) -> bool:
        return self.certificate is None and not self.gaps


def _average_score_subquery():
    return Subquery(
        AssessmentResult.objects.filter(enrolment=OuterRef("pk"))
        .values("enrolment")
        .annotate(avg=Avg("score"))
        .values("avg")[:1]
    )


def _present_count_subquery():
    return Coalesce(
        Subquery(
            Attendance.objects.filter(enrolment=OuterRef("pk"), status=Attendance.Status.PRESENT)
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def cohort_roster(cohort: Cohort, enrolments) -> list[RosterRow]:
    """One row per enrolment (of the scoped ``enrolments`` queryset) with attendance share,
    average score, certificate and certification gaps. Two queries."""
    sessions = cohort.sessions.count()
    rows = (
        enrolments.filter(cohort=cohort)
        .select_related("person", "certificate")
        .annotate(attended=_present_count_subquery(), average_score=_average_score_subquery())
        .order_by("person__family_name", "person__given_name", "pk")
    )
    course = cohort.course
    roster = []
    for enrolment in rows:
        average = enrolment.average_score
        if average is not None and not isinstance(average, Decimal):
            average = Decimal(str(average))  # SQLite hands back a float for AVG over decimals
        certificate = getattr(enrolment, "certificate", None)
        roster.append(
            RosterRow(
                enrolment=enrolment,
                sessions=sessions,
                attended=enrolment.attended,
                average_score=average,
                certificate=certificate,
                gaps=gaps_from_counts(
                    enrolment=enrolment, course=course, sessions=sessions,
                    attended=enrolment.attended, average=average,
                ),
            )
        )
    return roster


@dataclass
class CourseEntry:
    course: Course
    cohort_count: int
    cohorts: list = field(default_factory=list)


@dataclass
class LevelGroup:
    level: str
    label: str
    courses: list[CourseEntry]


def course_catalogue(courses, cohorts) -> list[LevelGroup]:
    """Courses grouped by cascade level, each with the number of ``cohorts`` (a scoped
    queryset) it has and the most recent few. Two queries."""
    counted = courses.annotate(
        cohort_count=Count("cohorts", filter=Q(cohorts__in=cohorts), distinct=True)
    ).select_related("programme").order_by("level", "title", "code")
    entries = {course.pk: CourseEntry(course=course, cohort_count=course.cohort_count) for course in counted}
    # The newest few cohorts of each listed course, ranked in the database so a course with
    # hundreds of cohorts still costs one bounded query.
    recent = (
        cohorts.filter(course_id__in=list(entries))
        .select_related("village")
        .annotate(
            recency=Window(RowNumber(), partition_by=F("course_id"), order_by=[F("starts_on").desc(), F("code")])
        )
        .filter(recency__lte=COHORTS_PER_COURSE)
        .order_by("course_id", "recency")
    )
    for cohort in recent:
        entries[cohort.course_id].cohorts.append(cohort)
    groups = []
    for level, label in CourseLevel.choices:
        in_level = [entry for entry in entries.values() if entry.course.level == level]
        if in_level:
            groups.append(LevelGroup(level=level, label=label, courses=in_level))
    return groups


def attendance_sheet(session, enrolments) -> list[tuple[Enrolment, str | None]]:
    """(enrolment, recorded status or None) for each participant of the session's cohort. One query."""
    status_of_enrolment = Subquery(
        Attendance.objects.filter(session=session, enrolment=OuterRef("pk")).values("status")[:1]
    )
    rows = (
        enrolments.filter(cohort_id=session.cohort_id)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("person")
        .annotate(recorded_status=status_of_enrolment)
        .order_by("person__family_name", "person__given_name", "pk")
    )
    return [(enrolment, enrolment.recorded_status) for enrolment in rows]
