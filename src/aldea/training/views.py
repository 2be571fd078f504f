"""Training pages: course catalogue, cohort roster, attendance, assessment entry, certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aldea.accounts.queries import reach_of
from aldea.core.access import changeable_or_404
from aldea.core.exceptions import DomainError
from aldea.ops.idempotency import idempotent_write
from aldea.programmes.queries import programmes_managed_by
from aldea.training import services
from aldea.training.figures import attendance_sheet, cohort_roster, course_catalogue
from aldea.training.forms import (
    AssessmentEntryForm,
    AttendanceForm,
    IssueCertificateForm,
    RevokeCertificateForm,
)
from aldea.training.models import Attendance, Cohort, Enrolment
from aldea.training.pdf import render_certificate_pdf, verify_url_for
from aldea.training.queries import (
    certificates_visible_to,
    cohorts_managed_by,
    cohorts_visible_to,
    cohorts_writable_by,
    courses_visible_to,
    courses_writable_by,
    enrolments_visible_to,
)

MY_LIST_LIMIT = 20


def _person_of(user):
    try:
        return user.person
    except AttributeError:  # users without a Person (staff): RelatedObjectDoesNotExist is one
        return None


def _visible_cohort(user, code) -> Cohort:
    return get_object_or_404(
        cohorts_visible_to(user).select_related("course__programme", "village", "institution"), code=code
    )


def writable_cohort(user, code) -> Cohort:
    """The cohort if the user may write its records; 404 when out of sight, 403 when read-only."""
    return changeable_or_404(
        cohorts_visible_to(user).select_related("course__programme", "village", "institution"),
        cohorts_writable_by(user),
        code=code,
    )


@login_required
def courses(request):
    user = request.user
    reach = reach_of(user)
    visible_cohorts = cohorts_visible_to(user)
    my_cohorts = my_enrolments = []
    if reach.person_id:
        my_cohorts = list(
            visible_cohorts.filter(trainers__id=reach.person_id)
            .select_related("course", "village")
            .order_by("-starts_on", "code")[:MY_LIST_LIMIT]
        )
        my_enrolments = list(
            enrolments_visible_to(user).filter(person_id=reach.person_id)
            .select_related("cohort__course", "certificate")
            .order_by("-cohort__starts_on")[:MY_LIST_LIMIT]
        )
    return render(request, "training/courses.html", {
        "levels": course_catalogue(courses_visible_to(user), visible_cohorts),
        "my_cohorts": my_cohorts,
        "my_enrolments": my_enrolments,
        "can_add_course": programmes_managed_by(user).exists(),
        "writable_course_ids": set(courses_writable_by(user).values_list("id", flat=True)),
    })


def _render_cohort(request, cohort, *, status=200, assessment_form=None, certify_errors=None, revoke_forms=None):
    user = request.user
    can_write = cohorts_writable_by(user).filter(pk=cohort.pk).exists()
    roster = cohort_roster(cohort, enrolments_visible_to(user))
    if can_write and assessment_form is None:
        assessment_form = AssessmentEntryForm(
            enrolments=[row.enrolment for row in roster if row.enrolment.status != Enrolment.Status.WITHDRAWN]
        )
    revoke_forms = revoke_forms or {}
    for row in roster:
        row.revoke_form = revoke_forms.get(row.enrolment.pk) or RevokeCertificateForm(prefix=f"revoke-{row.enrolment.pk}")
        row.certify_error = (certify_errors or {}).get(row.enrolment.pk)
    return render(request, "training/cohort.html", {
        "cohort": cohort,
        "course": cohort.course,
        "sessions": cohort.sessions.all(),
        "trainers": cohort.trainers.all(),
        "roster": roster,
        "can_write": can_write,
        "can_manage": cohorts_managed_by(user).filter(pk=cohort.pk).exists(),
        "assessment_form": assessment_form if can_write else None,
    }, status=status)


@login_required
def cohort(request, code):
    return _render_cohort(request, _visible_cohort(request.user, code))


@login_required
@require_POST
@idempotent_write
def enter_assessment(request, code):
    cohort = writable_cohort(request.user, code)
    enrolments = (
        Enrolment.objects.filter(cohort=cohort).exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("person").order_by("person__family_name", "person__given_name", "pk")
    )
    form = AssessmentEntryForm(request.POST, enrolments=enrolments)
    if not form.is_valid():
        return _render_cohort(request, cohort, status=400, assessment_form=form)
    saved = services.record_scores(
        name=form.cleaned_data["name"], assessed_on=form.cleaned_data["assessed_on"], scores=form.scores(),
        assessor=_person_of(request.user), user=request.user,
    )
    messages.success(request, _("%(count)s scores saved.") % {"count": saved})
    return redirect("training:cohort", code=cohort.code)


@login_required
@require_POST
def issue_certificate(request, code):
    cohort = writable_cohort(request.user, code)
    form = IssueCertificateForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    enrolment = get_object_or_404(cohort.enrolments.select_related("person"), pk=form.cleaned_data["enrolment"])
    try:
        certificate = services.issue_certificate(enrolment=enrolment, user=request.user)
    except DomainError as error:
        return _render_cohort(request, cohort, status=400, certify_errors={enrolment.pk: str(error)})
    messages.success(request, _("Certificate %(code)s issued to %(person)s.") % {
        "code": certificate.code, "person": enrolment.person,
    })
    return redirect("training:cohort", code=cohort.code)


@login_required
@require_POST
def revoke_certificate(request, code):
    certificate = get_object_or_404(
        certificates_visible_to(request.user).select_related("enrolment__cohort"), code=code
    )
    cohort = writable_cohort(request.user, certificate.enrolment.cohort.code)
    enrolment_id = certificate.enrolment_id
    form = RevokeCertificateForm(request.POST, prefix=f"revoke-{enrolment_id}")
    if form.is_valid():
        try:
            services.revoke_certificate(certificate=certificate, reason=form.cleaned_data["reason"], user=request.user)
        except DomainError as error:
            form.add_error("reason", str(error))
    if not form.is_valid():
        return _render_cohort(request, cohort, status=400, revoke_forms={enrolment_id: form})
    messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.code})
    return redirect("training:cohort", code=cohort.code)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent_write
def session_attendance(request, code, number):
    """The attendance sheet of one session: a tap per participant, saved by htmx one row at a time."""
    cohort = writable_cohort(request.user, code)
    session = get_object_or_404(cohort.sessions, number=number)
    url = reverse("training:attendance", kwargs={"code": cohort.code, "number": session.number})
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        error = conflict = None
        enrolment = None
        if form.is_valid():
            enrolment = get_object_or_404(cohort.enrolments.select_related("person"), pk=form.cleaned_data["enrolment"])
            try:
                services.record_attendance(
                    session=session, enrolment=enrolment, status=form.cleaned_data["status"], user=request.user,
                    seen_status=form.seen_status(),
                )
            except services.AttendanceConflict as exc:
                conflict = exc
            except DomainError as exc:
                error = str(exc)
        else:
            error = _("Choose present, absent or excused.")
            # The row to redraw with the error; without a participant there is none to draw.
            enrolment = None if "enrolment" in form.errors else (
                cohort.enrolments.select_related("person").filter(pk=form.cleaned_data["enrolment"]).first()
            )
            if enrolment is None:
                return HttpResponse(
                    _("Choose a participant of this cohort."), status=400, content_type="text/plain; charset=utf-8"
                )
        if not request.htmx:
            if error or conflict:
                messages.error(request, error or str(conflict))
            return redirect(f"{url}#enrolment-{enrolment.pk}")
        status = Attendance.objects.filter(session=session, enrolment=enrolment).values_list("status", flat=True).first()
        # A conflict answers 409 with the row showing both values, for the trainer to choose.
        return render(request, "training/partials/attendance_row.html", {
            "enrolment": enrolment, "recorded_status": status, "error": error, "url": url,
            "statuses": Attendance.Status.choices, "conflict": conflict,
        }, status=409 if conflict else 400 if error else 200)
    rows = attendance_sheet(session, enrolments_visible_to(request.user))
    counts = {value: sum(1 for _e, status in rows if status == value) for value in Attendance.Status.values}
    return render(request, "training/attendance.html", {
        "cohort": cohort, "session": session, "rows": rows, "url": url, "counts": counts,
        "statuses": Attendance.Status.choices, "unrecorded": sum(1 for _e, status in rows if status is None),
    })


@login_required
def certificate_pdf(request, code):
    certificate = get_object_or_404(
        certificates_visible_to(request.user).select_related(
            "enrolment__person", "enrolment__cohort__course__programme", "enrolment__cohort__village",
            "enrolment__cohort__institution",
        ),
        code=code,
    )
    verify_url = verify_url_for(certificate, request=request)
    response = HttpResponse(render_certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.code}.pdf"'
    return response


def verify(request, code):
    """Public: anyone holding a certificate's code may check that it is genuine and in force."""
    certificate = services.verify_certificate(code)
    return render(
        request, "training/verify.html", {"certificate": certificate, "code": code},
        status=200 if certificate else 404,
    )
