"""Planning pages: the catalogue's courses, cohorts and their trainers, the schedule, the roster.

Managers add and change courses and cohorts; a cohort's trainers, like its managers, keep its
schedule and participants (``cohorts_writable_by``). Every write goes through ``services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aldea.accounts.models import Role
from aldea.accounts.queries import members_of
from aldea.core.access import changeable_or_404
from aldea.core.exceptions import DomainError
from aldea.programmes.queries import programmes_managed_by, villages_writable_by
from aldea.training import services
from aldea.training.forms import (
    CohortForm,
    CourseForm,
    EnrolForm,
    EnrolmentChoiceForm,
    MoveForm,
    ScheduleForm,
    SessionForm,
)
from aldea.training.models import Enrolment
from aldea.training.queries import (
    cohorts_managed_by,
    cohorts_visible_to,
    cohorts_writable_by,
    courses_visible_to,
    courses_writable_by,
)
from aldea.training.views import writable_cohort


def _render_form(request, form, *, title, submit, back):
    return render(request, "training/edit.html", {"form": form, "title": title, "submit": submit, "back": back},
                  status=400 if form.errors else 200)


# --- courses ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    programmes = programmes_managed_by(request.user)
    if not programmes.exists():
        raise PermissionDenied
    form = CourseForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        messages.success(request, _("Course %(course)s added.") % {"course": course})
        return redirect("training:courses")
    return _render_form(request, form, title=_("New course"), submit=_("Add the course"), back="training:courses")


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, programme, code):
    course = changeable_or_404(
        courses_visible_to(request.user), courses_writable_by(request.user), programme__slug=programme, code=code,
    )
    form = CourseForm(request.POST or None, instance=course, programmes=programmes_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Course %(course)s saved.") % {"course": course})
        return redirect("training:courses")
    return _render_form(request, form, title=course.title, submit=_("Save the course"), back="training:courses")


# --- cohorts ----------------------------------------------------------------------------------


def _save_cohort(request, form):
    """Save a valid cohort form through the service; None (with the error on the form) when refused."""
    try:
        return services.save_cohort(
            cohort=form.save(commit=False), trainers=list(form.cleaned_data["trainers"]), user=request.user,
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return None


@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request):
    user = request.user
    courses = courses_writable_by(user)
    if not courses.exists():
        raise PermissionDenied
    programme_ids = list(programmes_managed_by(user).values_list("id", flat=True))
    form = CohortForm(
        request.POST or None, initial={"course": request.GET.get("course")}, courses=courses, villages=villages_writable_by(user),
        trainers=members_of(programme_ids, roles=[Role.TRAINER]),
    )
    if request.method == "POST" and form.is_valid() and (cohort := _save_cohort(request, form)):
        messages.success(request, _("Cohort %(code)s added; now give it its sessions.") % {"code": cohort.code})
        return redirect("training:sessions", code=cohort.code)
    return _render_form(request, form, title=_("New cohort"), submit=_("Add the cohort"), back="training:courses")


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, code):
    user = request.user
    cohort = changeable_or_404(
        cohorts_visible_to(user).select_related("course__programme"), cohorts_managed_by(user), code=code,
    )
    programme = cohort.course.programme
    form = CohortForm(
        request.POST or None, instance=cohort, courses=courses_writable_by(user),
        villages=villages_writable_by(user).filter(programme=programme),
        trainers=members_of([programme.pk], roles=[Role.TRAINER]),
    )
    if request.method == "POST" and form.is_valid() and _save_cohort(request, form):
        messages.success(request, _("Cohort %(code)s saved.") % {"code": cohort.code})
        return redirect("training:cohort", code=cohort.code)
    return _render_form(request, form, title=str(cohort), submit=_("Save the cohort"), back="training:courses")


# --- the schedule -----------------------------------------------------------------------------


def _render_sessions(request, cohort, *, schedule_form=None, add_form=None, error=None, status=200):
    sessions = list(cohort.sessions.all())
    for session in sessions:
        session.form = SessionForm(prefix=f"session-{session.number}", initial={
            "held_on": session.held_on, "title": session.title,
        })
    return render(request, "training/sessions.html", {
        "cohort": cohort, "sessions": sessions, "error": error,
        "schedule_form": schedule_form or ScheduleForm(initial={"first_on": cohort.starts_on, "weekday": cohort.starts_on.weekday()}),
        "add_form": add_form or SessionForm(prefix="new"),
    }, status=status)


@login_required
def cohort_sessions(request, code):
    return _render_sessions(request, writable_cohort(request.user, code))


@login_required
@require_POST
def generate_sessions(request, code):
    cohort = writable_cohort(request.user, code)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            created = services.generate_schedule(cohort=cohort, user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)s sessions added.") % {"count": len(created)})
            return redirect("training:sessions", code=cohort.code)
    return _render_sessions(request, cohort, schedule_form=form, status=400)


@login_required
@require_POST
def add_session(request, code):
    cohort = writable_cohort(request.user, code)
    form = SessionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            session = services.add_session(cohort=cohort, user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error("held_on", str(error))
        else:
            messages.success(request, _("Session %(number)s added.") % {"number": session.number})
            return redirect("training:sessions", code=cohort.code)
    return _render_sessions(request, cohort, add_form=form, status=400)


@login_required
@require_POST
def change_session(request, code, number):
    cohort = writable_cohort(request.user, code)
    session = get_object_or_404(cohort.sessions, number=number)
    form = SessionForm(request.POST, prefix=f"session-{number}")
    if not form.is_valid():
        return _render_sessions(request, cohort, error=_("Session %(number)s: give a valid date.") % {"number": number}, status=400)
    try:
        services.change_session(session=session, user=request.user, **form.cleaned_data)
    except DomainError as error:
        return _render_sessions(request, cohort, error=str(error), status=400)
    messages.success(request, _("Session %(number)s saved.") % {"number": number})
    return redirect("training:sessions", code=cohort.code)


@login_required
@require_POST
def remove_session(request, code, number):
    cohort = writable_cohort(request.user, code)
    session = get_object_or_404(cohort.sessions, number=number)
    try:
        services.remove_session(session=session, user=request.user)
    except DomainError as error:
        return _render_sessions(request, cohort, error=str(error), status=400)
    messages.success(request, _("Session %(number)s removed.") % {"number": number})
    return redirect("training:sessions", code=cohort.code)


# --- participants -----------------------------------------------------------------------------


def _candidates(cohort):
    return members_of([cohort.course.programme_id]).exclude(enrolments__cohort=cohort)


def _move_targets(user, cohort):
    return (
        cohorts_writable_by(user).filter(course__programme_id=cohort.course.programme_id)
        .exclude(pk=cohort.pk).select_related("course").order_by("-starts_on", "code")
    )


def _render_participants(request, cohort, *, enrol_form=None, error=None, status=200):
    enrolments = list(cohort.enrolments.select_related("person").order_by("person__family_name", "person__given_name", "pk"))
    targets = _move_targets(request.user, cohort)
    for enrolment in enrolments:
        enrolment.move_form = MoveForm(cohorts=targets, prefix=f"move-{enrolment.pk}")
    return render(request, "training/participants.html", {
        "cohort": cohort, "enrolments": enrolments, "error": error, "has_targets": targets.exists(),
        "enrol_form": enrol_form or EnrolForm(people=_candidates(cohort)),
    }, status=status)


def _chosen_enrolment(request, cohort) -> Enrolment:
    form = EnrolmentChoiceForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied  # a tampered form: the page always sends the participant
    return get_object_or_404(cohort.enrolments.select_related("person", "cohort__course"), pk=form.cleaned_data["enrolment"])


@login_required
def participants(request, code):
    return _render_participants(request, writable_cohort(request.user, code))


@login_required
@require_POST
def enrol(request, code):
    cohort = writable_cohort(request.user, code)
    form = EnrolForm(request.POST, people=_candidates(cohort))
    if form.is_valid():
        try:
            enrolment = services.enrol(cohort=cohort, person=form.cleaned_data["person"], user=request.user)
        except DomainError as error:
            form.add_error("person", str(error))
        else:
            messages.success(request, _("%(person)s enrolled.") % {"person": enrolment.person})
            return redirect("training:participants", code=cohort.code)
    return _render_participants(request, cohort, enrol_form=form, status=400)


@login_required
@require_POST
def change_participation(request, code, action):
    """Withdraw or reinstate one participant."""
    cohort = writable_cohort(request.user, code)
    enrolment = _chosen_enrolment(request, cohort)
    service = {"withdraw": services.withdraw, "reinstate": services.reinstate}[action]
    try:
        service(enrolment=enrolment, user=request.user)
    except DomainError as error:
        return _render_participants(request, cohort, error=str(error), status=400)
    messages.success(request, _("%(person)s: %(status)s.") % {
        "person": enrolment.person, "status": Enrolment.objects.get(pk=enrolment.pk).get_status_display(),
    })
    return redirect("training:participants", code=cohort.code)


@login_required
@require_POST
def move(request, code):
    cohort = writable_cohort(request.user, code)
    enrolment = _chosen_enrolment(request, cohort)
    form = MoveForm(request.POST, cohorts=_move_targets(request.user, cohort), prefix=f"move-{enrolment.pk}")
    if not form.is_valid():
        return _render_participants(request, cohort, error=_("Move to cohort: choose one of the list."), status=400)
    try:
        moved = services.move_enrolment(enrolment=enrolment, to_cohort=form.cleaned_data["to_cohort"], user=request.user)
    except DomainError as error:
        return _render_participants(request, cohort, error=str(error), status=400)
    messages.success(request, _("%(person)s moved to %(cohort)s.") % {"person": moved.person, "cohort": moved.cohort.code})
    return redirect("training:participants", code=cohort.code)


# --- attendance -------------------------------------------------------------------------------


@login_required
@require_POST
def mark_everyone_present(request, code, number):
    cohort = writable_cohort(request.user, code)
    session = get_object_or_404(cohort.sessions, number=number)
    marked = services.mark_everyone_present(session=session, user=request.user)
    messages.success(request, _("%(count)s participants marked present.") % {"count": marked})
    return redirect("training:attendance", code=cohort.code, number=session.number)
