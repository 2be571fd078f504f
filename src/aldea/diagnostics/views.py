"""The maturity diagnostic: a form that scores on save, and the page of one assessment."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from aldea.core.access import changeable_or_404
from aldea.core.charts import figure_json
from aldea.diagnostics.figures import dimension_comparison, maturity_radar
from aldea.diagnostics.forms import DiagnosticForm, dimension_labels
from aldea.diagnostics.instrument import ensure_default_instrument, load_instrument_file
from aldea.diagnostics.models import Instrument
from aldea.diagnostics.queries import assessments_visible_to, enterprises_diagnosable_by
from aldea.diagnostics.scoring import ScoringError
from aldea.diagnostics.services import record_assessment
from aldea.enterprises.queries import enterprises_visible_to
from aldea.ops.idempotency import idempotent_write


def _default_instrument() -> Instrument:
    # Creating the instrument costs dozens of queries: do it only the first time.
    return Instrument.objects.filter(code=load_instrument_file()["code"]).first() or ensure_default_instrument()


@login_required
@require_http_methods(["GET", "POST"])
@idempotent_write
def new(request, code):
    enterprise = changeable_or_404(
        enterprises_visible_to(request.user).select_related("village"), enterprises_diagnosable_by(request.user),
        code=code,
    )
    spec = load_instrument_file()
    form = DiagnosticForm(request.POST if request.method == "POST" else None, spec=spec)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessment = record_assessment(
                    enterprise=enterprise, instrument=_default_instrument(), answers=form.answers(),
                    assessed_on=form.cleaned_data["assessed_on"], assessor=getattr(request.user, "person", None),
                )
            except ScoringError as error:
                form.add_scoring_problems(error.problems)
            else:
                return redirect("diagnostics:assessment", code=enterprise.code, pk=assessment.pk)
        status = 400
    return render(request, "diagnostics/new.html", {"enterprise": enterprise, "form": form, "spec": spec}, status=status)


@login_required
def assessment(request, code, pk):
    enterprise = get_object_or_404(enterprises_visible_to(request.user).select_related("village"), code=code)
    assessments = assessments_visible_to(request.user).filter(enterprise=enterprise)
    current = get_object_or_404(assessments.select_related("assessor", "instrument"), pk=pk)
    previous = (
        assessments.filter(Q(assessed_on__lt=current.assessed_on) | Q(assessed_on=current.assessed_on, pk__lt=current.pk))
        .order_by("-assessed_on", "-pk")
        .first()
    )
    spec = load_instrument_file()
    labels = dimension_labels(spec)
    # An instrument other than the shipped one: fall back to its dimension codes.
    for code_ in current.dimension_scores:
        labels.setdefault(code_, code_)
    labels = {code_: label for code_, label in labels.items() if code_ in current.dimension_scores}
    previous_scores = previous.dimension_scores if previous else None
    figure = maturity_radar(
        labels, current.dimension_scores, previous_scores,
        current_name=date_format(current.assessed_on, "SHORT_DATE_FORMAT"),
        previous_name=date_format(previous.assessed_on, "SHORT_DATE_FORMAT") if previous else "",
    )
    return render(request, "diagnostics/assessment.html", {
        "enterprise": enterprise,
        "assessment": current,
        "previous": previous,
        "rows": dimension_comparison(labels, current.dimension_scores, previous_scores),
        "score_change": round(float(current.score) - float(previous.score), 2) if previous else None,
        "radar_json": figure_json(figure),
        "can_diagnose": enterprises_diagnosable_by(request.user).filter(pk=enterprise.pk).exists(),
    })
