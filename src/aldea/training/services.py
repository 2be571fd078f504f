"""Attendance, assessment and certification in the training cascade."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.core.exceptions import DomainError
from aldea.training.models import Attendance, Certificate, Enrolment, TrainingSession

# No 0/O or 1/I: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_certificate_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"ALD-{body[:4]}-{body[4:]}"


@transaction.atomic
def record_attendance(*, session: TrainingSession, enrolment: Enrolment, status: str, user=None) -> Attendance:
    """Record (or correct) one participant's attendance at one session."""
    if enrolment.cohort_id != session.cohort_id:
        raise DomainError(_("%(person)s is not enrolled in this cohort.") % {"person": enrolment.person})
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
    """Certify a participant who met the attendance and score rules. Raises DomainError."""
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise DomainError(_("%(person)s already holds a certificate for this cohort.") % {"person": enrolment.person})
    gaps = certification_gaps(enrolment)
    if gaps:
        raise DomainError(_("Cannot certify %(person)s: %(gaps)s.") % {"person": enrolment.person, "gaps": "; ".join(gaps)})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment, code=new_certificate_code(),
                    issued_on=issued_on or timezone.localdate(), issued_by=user,
                )
            break
        except IntegrityError:  # a code collision: 32^8 codes make this rare, so just draw again
            continue
    else:
        raise DomainError(_("Could not draw a unique certificate code; try again."))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED)
    return certificate


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, user=None) -> Certificate:
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
    """The certificate with this code (any case, spaces ignored), or None."""
    normalised = code.strip().upper().replace(" ", "")
    return (
        Certificate.objects.select_related("enrolment__person", "enrolment__cohort__course")
        .filter(code=normalised)
        .first()
    )
