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

from aldea.accounts.queries import members_of
from aldea.core.exceptions import DomainError
from aldea.training.models import Attendance, Certificate, Cohort, Enrolment, TrainingSession

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


@transaction.atomic
def record_attendance(*, session: TrainingSession, enrolment: Enrolment, status: str, user=None) -> Attendance:
    """Record (or correct) one participant's attendance at one session, with who recorded it.

    Raises DomainError when the session is another cohort's or the status is unknown.
    """
    refusal = attendance_refusal(session=session, enrolment=enrolment)
    if refusal:
        raise DomainError(refusal)
    if status not in Attendance.Status.values:
        raise DomainError(_("«%(status)s» is not an attendance status") % {"status": status})
    attendance, _created = Attendance.objects.update_or_create(
        session=session, enrolment=enrolment, defaults={"status": status, "recorded_by": user}
    )
    return attendance


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
