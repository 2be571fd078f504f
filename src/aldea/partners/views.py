"""Partner pages: organisations by helix, agreements and those about to expire, one organisation,
and the form a manager adds an agreement with."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Membership
from aldea.partners import figures
from aldea.partners.forms import AgreementForm, ExpiryForm
from aldea.partners.models import AgreementState, Organisation
from aldea.partners.queries import (
    agreements_visible_to,
    organisations_of_programmes,
    organisations_visible_to,
    village_partner_roles_visible_to,
)
from aldea.programmes.queries import programmes_managed_by, programmes_visible_to

STATE_LABELS = dict(AgreementState.choices)


def _agreements(user):
    return (
        agreements_visible_to(user)
        .select_related("programme")
        .prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("name")))
        .order_by("-starts_on", "code")
    )


def _with_states(agreements, today) -> list:
    """The agreements, each with its state today (an agreement past its end date is expired)."""
    rows = list(agreements)
    for agreement in rows:
        agreement.state = agreement.state_on(today)
        agreement.state_label = STATE_LABELS[agreement.state]
    return rows


def _roles(user):
    return village_partner_roles_visible_to(user).select_related("village").order_by("village__name", "role")


def _programme_organisations(user):
    """The organisations tied to a programme the user sees (the whole directory is public, but
    this is the part that matters to the user)."""
    return organisations_of_programmes(programmes_visible_to(user).values("id"))


@login_required
def partner_list(request):
    expiry = ExpiryForm(request.GET or {"days": figures.DEFAULT_EXPIRY_DAYS})
    days = expiry.days_or_default()
    today = timezone.localdate()
    agreements = _with_states(_agreements(request.user), today)
    context = {
        "helices": figures.organisations_by_helix(_programme_organisations(request.user), _roles(request.user)),
        "agreements": agreements,
        "status_rows": [(STATE_LABELS[state], count) for state, count in
                        figures.agreement_state_counts(agreements, today=today).items()],
        "expiring": figures.expiring_agreements(agreements, today=today, days=days),
        "expiry_form": expiry,
        "days": days,
        "can_add_agreement": programmes_managed_by(request.user).exists(),
    }
    return render(request, "partners/list.html", context, status=200 if expiry.is_valid() else 400)


@login_required
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        organisations_visible_to(request.user).select_related("country", "municipality__parent"), slug=slug
    )
    context = {
        "organisation": organisation,
        "roles": list(_roles(request.user).filter(organisation=organisation)),
        "agreements": _with_states(_agreements(request.user).filter(parties=organisation), timezone.localdate()),
        "members": Membership.objects.filter(
            organisation=organisation, is_active=True, programme__in=programmes_visible_to(request.user)
        ).count(),
    }
    return render(request, "partners/organisation.html", context)


@login_required
def agreement_add(request):
    programmes = programmes_managed_by(request.user).order_by("name")
    if not programmes.exists():
        raise PermissionDenied
    form = AgreementForm(
        request.POST or None, programmes=programmes, organisations=organisations_visible_to(request.user).order_by("name"),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():  # the agreement and its parties, or nothing
                agreement = form.save()
            messages.success(request, _("Agreement “%(title)s” added.") % {"title": agreement.title})
            return redirect("partners:list")
        status = 400
    return render(request, "partners/agreement_form.html", {"form": form}, status=status)
