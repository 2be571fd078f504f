"""The MSME entry pages: registering an MSME, and its monthly results."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from aldea.core.access import changeable_or_404
from aldea.enterprises.queries import (
    enterprises_served_by,
    enterprises_visible_to,
    villages_open_for_registration_by,
)
from aldea.enterprises.services import register_enterprise
from aldea.ops.idempotency import idempotent_write
from aldea.outcomes.models import OutcomeRecord
from aldea.outcomes.queries import enterprises_with_enterable_outcomes
from aldea.outcomes.services import entry_source, record_monthly_outcome, save_listing
from aldea.workspace.msme_forms import ListingForm, MsmeRegistrationForm, OutcomeEntryForm


def _month_asked(request) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return None


@login_required
@idempotent_write
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
                                   values=form.figures(), user=request.user,
                                   source=entry_source(user=request.user, enterprise=enterprise))
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


@login_required
def msme_register(request):
    """Register a new MSME and its owner in one of the user's villages."""
    villages = villages_open_for_registration_by(request.user).select_related("programme", "municipality")
    if not villages.exists():
        raise PermissionDenied
    form = MsmeRegistrationForm(request.POST or None, villages=villages.order_by("name"))
    if request.method == "POST":
        if form.is_valid():
            enterprise = register_enterprise(user=request.user, **form.cleaned_data)
            return redirect("workspace:msme", code=enterprise.code)
        status = 400
    else:
        status = 200
    return render(request, "workspace/msme_register.html", {"form": form}, status=status)


@login_required
def listing_form(request, code):
    """Add a product's listing on a channel, or change one (same product and channel)."""
    enterprise = changeable_or_404(enterprises_visible_to(request.user), enterprises_served_by(request.user), code=code)
    form = ListingForm(request.POST or None, enterprise=enterprise, initial=request.GET.dict() or None)
    if request.method == "POST":
        if form.is_valid():
            save_listing(user=request.user, **form.cleaned_data)
            return redirect(reverse("workspace:msme", kwargs={"code": enterprise.code}) + "#listings")
        status = 400
    else:
        status = 200
    return render(request, "workspace/listing_form.html", {"enterprise": enterprise, "form": form}, status=status)
