"""Enrolment, attendance, assessment and certification in the training cascade.

Every door (the pages, the API, the admin, the commands) writes these records through the
functions below, which hold the rules: who may be enrolled, that attendance belongs to the
cohort's own sessions and names who recorded it, and that a certificate is issued only to a
participant who met the course's rules, with a code the platform draws.
"""

import datetime
import re
import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Role
from aldea.accounts.queries import members_of
from aldea.core.exceptions import DomainError
from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Certificate,
    Cohort,
    Enrolment,
    TrainingSession,
)

# --- certificate codes ------------------------------------------------------------------------

# No 0/O or 1/I: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# The one format: ALD-XXXXX-XXXXX. Ten letters of a 32-letter alphabet are 50 bits, so guessing a
# valid code at the public verification page is hopeless, and two groups of five are easy to
# read aloud. Codes of earlier formats (ALD-XXXX-XXXX, and twelve letters without a prefix from
# the first API) stay valid: verification looks codes up as they were stored.
CODE_GROUP = 5
CERTIFICATE_CODE = re.compile(rf"^ALD-[{CODE_ALPHABET}]{{{CODE_GROUP}}}-[{CODE_ALPHABET}]{{{CODE_GROUP}}}$")


def new_certificate_code(*, choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh code in the one format. ``choice`` draws one letter; the demo passes its seeded
    generator's so that its programme is the same on every run."""
    body = "".join(choice(CODE_ALPHABET) for _ in range(2 * CODE_GROUP))
    return f"ALD-{body[:CODE_GROUP]}-{body[CODE_GROUP:]}"


# --- enrolment --------------------------------------------------------------------------------


def enrolment_refusal(*, cohort: Cohort, person) -> str | None:
    """Why ``person`` may not be enrolled in ``cohort`` now, or None when they may.

    A participant holds an active role in the cohort's programme (as the trainer-, consultant-
    or MSME-level student they are), is not enrolled there already, and the cohort has a free
    place (withdrawn participants free theirs).
    """
    if Enrolment.objects.filter(cohort=cohort, person=person).exists():
        return _("%(person)s is already enrolled in this cohort.") % {"person": person}
    return _membership_refusal(cohort, person) or _capacity_refusal(cohort)


def _membership_refusal(cohort: Cohort, person) -> str | None:
    if not members_of([cohort.course.programme_id]).filter(pk=person.pk).exists():
        return _("%(person)s holds no active role in the cohort's programme.") % {"person": person}
    return None


def _capacity_refusal(cohort: Cohort) -> str | None:
    taken = Enrolment.objects.filter(cohort=cohort).exclude(status=Enrolment.Status.WITHDRAWN).count()
    if taken >= cohort.capacity:
        return _("The cohort is full (%(taken)s of %(capacity)s places).") % {
            "taken": taken, "capacity": cohort.capacity,
        }
    return None


@transaction.atomic
def enrol(*, cohort: Cohort, person, user=None, enrolled_on: datetime.date | None = None) -> Enrolment:
    """Enrol a member of the cohort's programme. Raises DomainError naming the reason."""
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=cohort.pk)
    refusal = enrolment_refusal(cohort=cohort, person=person)
    if refusal:
        raise DomainError(refusal)
    return Enrolment.objects.create(
        cohort=cohort, person=person, enrolled_on=enrolled_on or timezone.localdate(),
        status=Enrolment.Status.ENROLLED,
    )


@transaction.atomic
def withdraw(*, enrolment: Enrolment, user=None) -> Enrolment:
    """A participant leaves the cohort; their attendance and results are kept. Raises DomainError."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return enrolment
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise DomainError(_("%(person)s has completed the course and cannot withdraw.") % {"person": enrolment.person})
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


@transaction.atomic
def reinstate(*, enrolment: Enrolment, user=None) -> Enrolment:
    """A withdrawn participant comes back, if they still hold a role and a place is free."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("person").get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.WITHDRAWN:
        return enrolment
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.cohort_id)
    refusal = _membership_refusal(cohort, enrolment.person) or _capacity_refusal(cohort)
    if refusal:
        raise DomainError(refusal)
    enrolment.status = Enrolment.Status.ENROLLED
    enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


def change_enrolment_status(*, enrolment: Enrolment, to_status: str, user=None) -> Enrolment:
    """Route a requested status to the service that makes it; completion comes with a certificate."""
    if to_status == enrolment.status:
        return enrolment
    if to_status == Enrolment.Status.WITHDRAWN:
        return withdraw(enrolment=enrolment, user=user)
    if to_status == Enrolment.Status.ENROLLED:
        return reinstate(enrolment=enrolment, user=user)
    if to_status == Enrolment.Status.COMPLETED:
        raise DomainError(_("A participant completes the course when a certificate is issued."))
    raise DomainError(_("«%(status)s» is not an enrolment status") % {"status": to_status})


# --- attendance -------------------------------------------------------------------------------


def attendance_refusal(*, session: TrainingSession, enrolment: Enrolment) -> str | None:
    """Why attendance of ``enrolment`` at ``session`` cannot be recorded, or None: the session
    must be one of the participant's own cohort."""
    if enrolment.cohort_id != session.cohort_id:
        return _("%(person)s is not enrolled in this cohort.") % {"person": enrolment.person}
    return None


# ``seen_status`` not given: the caller does not know what was on record, and simply writes.
UNCHECKED = object()


class AttendanceConflict(DomainError):
    """Someone else recorded the row since the writer last saw it (two trainers, or a phone that
    was offline): the later write is refused so that neither mark is lost silently."""

    def __init__(self, *, recorded: str, attempted: str):
        self.recorded = recorded
        self.attempted = attempted
        self.recorded_label = Attendance.Status(recorded).label
        self.attempted_label = Attendance.Status(attempted).label
        super().__init__(
            _("Someone else recorded «%(recorded)s» meanwhile; you chose «%(attempted)s».") % {
                "recorded": Attendance.Status(recorded).label, "attempted": Attendance.Status(attempted).label,
            }
        )


@transaction.atomic
def record_attendance(*, session: TrainingSession, enrolment: Enrolment, status: str, user=None,
                      seen_status=UNCHECKED) -> Attendance:
    """Record (or correct) one participant's attendance at one session, with who recorded it.

    ``seen_status`` is the status the writer last saw (``None`` for none): when the row has
    changed since to another value than ``status``, AttendanceConflict is raised and nothing is
    written. Raises DomainError when the session is another cohort's or the status is unknown.
    """
    refusal = attendance_refusal(session=session, enrolment=enrolment)
    if refusal:
        raise DomainError(refusal)
    if status not in Attendance.Status.values:
        raise DomainError(_("«%(status)s» is not an attendance status") % {"status": status})
    if seen_status is not UNCHECKED:
        # Locked, so that two writers who saw the same value cannot both pass the check.
        recorded = (
            Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment)
            .values_list("status", flat=True).first()
        )
        if recorded is not None and recorded != (seen_status or None) and recorded != status:
            raise AttendanceConflict(recorded=recorded, attempted=status)
    attendance, _created = Attendance.objects.update_or_create(
        session=session, enrolment=enrolment, defaults={"status": status, "recorded_by": user}
    )
    return attendance


@transaction.atomic
def record_scores(*, name: str, assessed_on: datetime.date, scores, assessor=None, user=None) -> int:
    """Store one assessment's scores, ``scores`` being (enrolment, score) pairs; a participant's
    earlier result of the same name is corrected. Returns how many were stored. Raises DomainError
    for a score outside 0–100, an empty name or a date in the future (nothing is stored then)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Assessment: give its name."))
    if assessed_on > timezone.localdate():
        raise DomainError(_("Assessed on: the date cannot be in the future."))
    for enrolment, score in scores:
        if not 0 <= score <= 100:
            raise DomainError(_("Score of %(person)s: give a number from 0 to 100.") % {"person": enrolment.person})
        AssessmentResult.objects.update_or_create(
            enrolment=enrolment, name=name, defaults={"score": score, "assessed_on": assessed_on, "assessor": assessor},
        )
    return len(scores)


def gaps_from_counts(*, enrolment: Enrolment, course, sessions: int, attended: int, average) -> list[str]:
    """The certification rules applied to counts; pages that list many people read the counts
    in bulk and call this, so rules and wording live here only."""
    gaps = []
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        gaps.append(_("withdrew from the cohort"))
    if sessions and attended / sessions < float(course.min_attendance):
        gaps.append(
            _("attended %(attended)s of %(sessions)s sessions (needs %(share)s%%)")
            % {"attended": attended, "sessions": sessions, "share": round(float(course.min_attendance) * 100)}
        )
    if average is None:
        gaps.append(_("has no assessment result"))
    elif average < course.passing_score:
        gaps.append(
            _("average score %(score).1f is below the passing score %(passing)s")
            % {"score": average, "passing": course.passing_score}
        )
    return gaps


def certification_gaps(enrolment: Enrolment) -> list[str]:
    """What an enrolment still lacks to be certified; empty when it may be."""
    return gaps_from_counts(
        enrolment=enrolment,
        course=enrolment.cohort.course,
        sessions=enrolment.cohort.sessions.count(),
        attended=enrolment.attendance.filter(status=Attendance.Status.PRESENT).count(),
        average=enrolment.assessment_results.aggregate(avg=Avg("score"))["avg"],
    )


@transaction.atomic
def issue_certificate(*, enrolment: Enrolment, user=None, issued_on: datetime.date | None = None) -> Certificate:
    """Certify a participant who met the attendance and score rules, with a code drawn here
    (never chosen by the caller). ``issued_on`` defaults to today and cannot be in the future.
    Raises DomainError naming what is missing."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("person", "cohort__course").get(pk=enrolment.pk)
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise DomainError(_("%(person)s already holds a certificate for this cohort.") % {"person": enrolment.person})
    today = timezone.localdate()
    if issued_on is not None and issued_on > today:
        raise DomainError(_("A certificate cannot be issued on a future date."))
    gaps = certification_gaps(enrolment)
    if gaps:
        raise DomainError(_("Cannot certify %(person)s: %(gaps)s.") % {"person": enrolment.person, "gaps": "; ".join(gaps)})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment, code=new_certificate_code(),
                    issued_on=issued_on or today, issued_by=user,
                )
            break
        except IntegrityError:  # a code collision: 32^10 codes make this rare, so just draw again
            continue
    else:
        raise DomainError(_("Could not draw a unique certificate code; try again."))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED, updated_at=timezone.now())
    return certificate


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, user=None) -> Certificate:
    """Revoke a certificate for good, with the reason the verification page shows.

    There is no way back: the verification page has told whoever checked the code that it is
    revoked, so the record keeps saying so (decision P9 in docs/decisions.md). Raises DomainError.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the certificate is revoked."))
    if certificate.revoked_at is not None:
        raise DomainError(_("The certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revocation_reason"])
    return certificate


def verify_certificate(code: str) -> Certificate | None:
    """The certificate with this code, or None. Any case; spaces ignored; the dashes of the
    current format may be left out. Codes of earlier formats are found as they were stored."""
    normalised = code.strip().upper().replace(" ", "")
    candidates = [normalised]
    body = normalised.removeprefix("ALD")
    if "-" not in normalised and normalised.startswith("ALD") and len(body) == 2 * CODE_GROUP:
        candidates.append(f"ALD-{body[:CODE_GROUP]}-{body[CODE_GROUP:]}")
    return (
        Certificate.objects.select_related("enrolment__person", "enrolment__cohort__course")
        .filter(code__in=candidates)
        .first()
    )


# --- courses and cohorts ----------------------------------------------------------------------


@transaction.atomic
def save_cohort(*, cohort: Cohort, trainers, user=None) -> Cohort:
    """Create or change a cohort and its trainers. Raises DomainError naming the field and reason.

    The village must be one of the course's programme; each trainer must hold an active trainer
    membership there; the cohort's sessions must stay within its dates.
    """
    programme_id = cohort.course.programme_id
    if cohort.village_id and cohort.village.programme_id != programme_id:
        raise DomainError(_("Village: %(village)s is not a village of the course's programme.") % {"village": cohort.village})
    trainer_ids = set(members_of([programme_id], roles=[Role.TRAINER]).values_list("id", flat=True))
    for trainer in trainers:
        if trainer.pk not in trainer_ids:
            raise DomainError(_("Trainers: %(person)s is not a trainer of the programme.") % {"person": trainer})
    if cohort.pk:
        outside = cohort.sessions.exclude(held_on__range=(cohort.starts_on, cohort.ends_on)).order_by("number").first()
        if outside:
            raise DomainError(_("Dates: session %(number)s on %(date)s would fall outside the cohort's dates.") % {
                "number": outside.number, "date": outside.held_on,
            })
    cohort.save()
    cohort.trainers.set(trainers)
    return cohort


# --- the schedule -----------------------------------------------------------------------------

MAX_GENERATED_SESSIONS = 52


def weekly_dates(*, first_on: datetime.date, weekday: int, count: int) -> list[datetime.date]:
    """``count`` dates a week apart on ``weekday`` (Monday 0 … Sunday 6), the first on or after
    ``first_on``. Example: ``weekly_dates(first_on=date(2026, 12, 1), weekday=3, count=2)`` →
    ``[date(2026, 12, 3), date(2026, 12, 10)]`` (1 December 2026 is a Tuesday)."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    first = first_on + datetime.timedelta(days=(weekday - first_on.weekday()) % 7)
    return [first + datetime.timedelta(weeks=week) for week in range(count)]


def _date_refusal(cohort: Cohort, held_on: datetime.date) -> str | None:
    if not cohort.starts_on <= held_on <= cohort.ends_on:
        return _("Date: %(date)s is outside the cohort's dates (%(starts)s to %(ends)s).") % {
            "date": held_on, "starts": cohort.starts_on, "ends": cohort.ends_on,
        }
    return None


def _next_number(cohort: Cohort) -> int:
    last = cohort.sessions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def generate_schedule(
    *, cohort: Cohort, count: int, weekday: int, first_on: datetime.date, duration_minutes: int = 120, user=None,
) -> list[TrainingSession]:
    """Add ``count`` weekly sessions on ``weekday`` from ``first_on``, numbered after the cohort's
    existing ones. Raises DomainError when the count is out of range or a date falls outside the
    cohort's dates (nothing is created then)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not 1 <= count <= MAX_GENERATED_SESSIONS:
        raise DomainError(_("Number of sessions: give a number from 1 to %(max)s.") % {"max": MAX_GENERATED_SESSIONS})
    dates = weekly_dates(first_on=first_on, weekday=weekday, count=count)
    for held_on in (dates[0], dates[-1]):
        refusal = _date_refusal(cohort, held_on)
        if refusal:
            raise DomainError(refusal)
    number = _next_number(cohort)
    return [
        TrainingSession.objects.create(
            cohort=cohort, number=number + index, held_on=held_on, duration_minutes=duration_minutes,
        )
        for index, held_on in enumerate(dates)
    ]


@transaction.atomic
def add_session(*, cohort: Cohort, held_on: datetime.date, title: str = "", user=None) -> TrainingSession:
    """One more session, numbered after the last. Raises DomainError when the date is outside the cohort's."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    refusal = _date_refusal(cohort, held_on)
    if refusal:
        raise DomainError(refusal)
    return TrainingSession.objects.create(cohort=cohort, number=_next_number(cohort), held_on=held_on, title=title.strip())


@transaction.atomic
def change_session(*, session: TrainingSession, held_on: datetime.date, title: str = "", user=None) -> TrainingSession:
    """Move a session to another date (within the cohort's) and retitle it. Raises DomainError."""
    refusal = _date_refusal(session.cohort, held_on)
    if refusal:
        raise DomainError(refusal)
    session.held_on = held_on
    session.title = title.strip()
    session.save(update_fields=["held_on", "title"])
    return session


@transaction.atomic
def remove_session(*, session: TrainingSession, user=None) -> None:
    """Remove a session nobody's attendance was recorded at; later sessions move up a number so
    that the schedule stays 1…N. Raises DomainError when attendance exists."""
    cohort = Cohort.objects.select_for_update().get(pk=session.cohort_id)
    if session.attendance.exists():
        raise DomainError(_("Session %(number)s has recorded attendance and cannot be removed.") % {"number": session.number})
    number = session.number
    session.delete()
    # Ascending, so each number is free before the next session takes it.
    for later in cohort.sessions.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])


# --- moves and the whole sheet ----------------------------------------------------------------


@transaction.atomic
def move_enrolment(*, enrolment: Enrolment, to_cohort: Cohort, user=None) -> Enrolment:
    """Move a participant to another cohort of the same programme; returns the new enrolment.

    The old enrolment is withdrawn, keeping its attendance and results as history; in the new
    cohort the participant is enrolled (or reinstated, if they had withdrawn from it before).
    Raises DomainError across programmes, to the same cohort, for a completed participant, or when
    the new cohort refuses them (full, no role).
    """
    enrolment = Enrolment.objects.select_related("person", "cohort__course").get(pk=enrolment.pk)
    to_cohort = Cohort.objects.select_related("course").get(pk=to_cohort.pk)
    if to_cohort.pk == enrolment.cohort_id:
        raise DomainError(_("Cohort: %(person)s is already in this cohort.") % {"person": enrolment.person})
    if to_cohort.course.programme_id != enrolment.cohort.course.programme_id:
        raise DomainError(_("Cohort: a participant can only move to a cohort of the same programme."))
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise DomainError(_("%(person)s has withdrawn from this cohort.") % {"person": enrolment.person})
    withdraw(enrolment=enrolment, user=user)
    earlier = Enrolment.objects.filter(cohort=to_cohort, person=enrolment.person).first()
    if earlier is not None:
        if earlier.status != Enrolment.Status.WITHDRAWN:
            raise DomainError(_("%(person)s is already enrolled in this cohort.") % {"person": enrolment.person})
        return reinstate(enrolment=earlier, user=user)
    return enrol(cohort=to_cohort, person=enrolment.person, user=user)


@transaction.atomic
def mark_everyone_present(*, session: TrainingSession, user=None) -> int:
    """Record "present" for every participant (not withdrawn) with nothing recorded at the
    session yet; recorded rows are left as they are. Returns how many were marked."""
    unmarked = (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .exclude(attendance__session=session)
        .select_related("person")
    )
    marked = 0
    for enrolment in unmarked:
        record_attendance(session=session, enrolment=enrolment, status=Attendance.Status.PRESENT, user=user)
        marked += 1
    return marked
