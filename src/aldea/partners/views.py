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
from aldea.core.access import changeable_or_404, visible_or_404
from aldea.partners import figures
from aldea.partners.forms import AgreementForm, ExpiryForm, OrganisationForm, VillageRoleForm
from aldea.partners.models import AgreementState, Organisation
from aldea.partners.queries import (
    agreements_visible_to,
    agreements_writable_by,
    organisations_of_programmes,
    organisations_visible_to,
    organisations_writable_by,
    village_partner_roles_visible_to,
)
from aldea.partners.services import register_organisation
from aldea.programmes.queries import (
    programmes_managed_by,
    programmes_visible_to,
    villages_writable_by,
)
from aldea.territories.models import Country

STATE_LABELS = dict(AgreementState.choices)


def _agreements(user):
    return (
        agreements_visible_to(user)
        .select_related("programme")
        .prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("name")))
        .order_by("-starts_on", "code")
    )


def _with_states(agreements, today, user) -> list:
    """The agreements, each with its state today (an agreement past its end date is expired) and
    whether the user may edit it."""
    rows = list(agreements)
    writable = set(agreements_writable_by(user).filter(pk__in=[a.pk for a in rows]).values_list("pk", flat=True))
    for agreement in rows:
        agreement.state = agreement.state_on(today)
        agreement.state_label = STATE_LABELS[agreement.state]
        agreement.can_edit = agreement.pk in writable
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
    agreements = _with_states(_agreements(request.user), today, request.user)
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
        "agreements": _with_states(_agreements(request.user).filter(parties=organisation), timezone.localdate(),
                                   request.user),
        "can_edit": organisations_writable_by(request.user).filter(pk=organisation.pk).exists(),
        "can_tie": villages_writable_by(request.user).exists(),
        "members": Membership.objects.filter(
            organisation=organisation, is_active=True, programme__in=programmes_visible_to(request.user)
        ).count(),
    }
    return render(request, "partners/organisation.html", context)


def _agreement_form_page(request, agreement=None):
    programmes = programmes_managed_by(request.user).order_by("name")
    if not programmes.exists():
        raise PermissionDenied
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=agreement, programmes=programmes,
        organisations=organisations_visible_to(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the agreement and its parties, or nothing
            saved = form.save()
        message = _("Agreement “%(title)s” saved.") if agreement else _("Agreement “%(title)s” added.")
        messages.success(request, message % {"title": saved.title})
        return redirect("partners:list")
    return render(request, "partners/agreement_form.html", {"form": form, "agreement": agreement},
                  status=400 if form.errors else 200)


@login_required
def agreement_add(request):
    return _agreement_form_page(request)


@login_required
def agreement_edit(request, code):
    agreement = changeable_or_404(agreements_visible_to(request.user), agreements_writable_by(request.user), code=code)
    return _agreement_form_page(request, agreement)


@login_required
def organisation_add(request):
    """A manager adds an organisation to the directory for one of their programmes."""
    programme = (
        changeable_or_404(programmes_visible_to(request.user), programmes_managed_by(request.user),
                          slug=request.GET.get("programme") or request.POST.get("programme"))
        if (request.GET.get("programme") or request.POST.get("programme"))
        else programmes_managed_by(request.user).order_by("name").first()
    )
    if programme is None:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, countries=Country.objects.order_by("name"),
                            initial={"country": programme.country.code})
    if request.method == "POST" and form.is_valid():
        organisation = register_organisation(form=form, programme=programme)
        messages.success(request, _("%(name)s added to the directory.") % {"name": organisation.name})
        return redirect("partners:organisation", slug=organisation.slug)
    return render(request, "partners/organisation_form.html", {"form": form, "programme": programme},
                  status=400 if form.errors else 200)


@login_required
def organisation_edit(request, slug):
    """Change an organisation; a shared one only by someone who answers for every programme tied to it."""
    organisation = changeable_or_404(organisations_visible_to(request.user), organisations_writable_by(request.user),
                                     slug=slug)
    form = OrganisationForm(request.POST or None, instance=organisation, countries=Country.objects.order_by("name"))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s saved.") % {"name": organisation.name})
        return redirect("partners:organisation", slug=organisation.slug)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)


@login_required
def village_role_add(request, slug):
    """Tie an organisation (any: the directory is public) to a village the user manages."""
    organisation = visible_or_404(organisations_visible_to(request.user), slug=slug)
    villages = villages_writable_by(request.user).order_by("name")
    if not villages.exists():
        raise PermissionDenied
    form = VillageRoleForm(request.POST or None, villages=villages, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        role = form.save()
        messages.success(request, _("%(organisation)s is now %(role)s in %(village)s.") % {
            "organisation": organisation.name, "role": role.get_role_display(), "village": role.village.name})
        return redirect("partners:organisation", slug=organisation.slug)
    return render(request, "partners/village_role_form.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)
