"""The MSME profile's entry pages: its monthly results."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from aldea.core.access import changeable_or_404
from aldea.enterprises.queries import enterprises_visible_to
from aldea.outcomes.models import OutcomeRecord
from aldea.outcomes.queries import enterprises_with_enterable_outcomes
from aldea.outcomes.services import record_monthly_outcome
from aldea.workspace.msme_forms import OutcomeEntryForm


def _month_asked(request) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return None


@login_required
def outcome_entry(request, code):
    """Enter a month's results, or correct a month already on record (``?month=YYYY-MM``)."""
    enterprise = changeable_or_404(
        enterprises_visible_to(request.user).select_related("programme"),
        enterprises_with_enterable_outcomes(request.user), code=code,
    )
    if request.method == "POST":
        form = OutcomeEntryForm(request.POST, enterprise=enterprise)
        if form.is_valid():
            record_monthly_outcome(enterprise=enterprise, month=form.cleaned_data["month"],
                                   values=form.figures(), user=request.user)
            return redirect(reverse("workspace:msme", kwargs={"code": enterprise.code}) + "#outcomes")
        status = 400
    else:
        month = _month_asked(request)
        record = OutcomeRecord.objects.filter(enterprise=enterprise, month=month).first() if month else None
        form = OutcomeEntryForm(initial=OutcomeEntryForm.initial_from(record) if record else None,
                                enterprise=enterprise)
        status = 200
    context = {"enterprise": enterprise, "form": form, "currency": enterprise.programme.currency}
    return render(request, "workspace/outcome_entry.html", context, status=status)
