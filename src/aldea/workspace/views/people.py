"""A programme's people: its members and their roles, invitations, ending access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aldea.accounts.invitations import InvitationRefused, invite, join_path, revoke_invitation
from aldea.accounts.models import Role
from aldea.accounts.queries import (
    invitations_visible_to,
    members_of,
    memberships_manageable_by,
    memberships_visible_to,
)
from aldea.accounts.services import change_membership_role, end_membership
from aldea.core.access import changeable_or_404, visible_or_404
from aldea.core.exceptions import DomainError
from aldea.partners.queries import organisations_of_programmes
from aldea.programmes.queries import programmes_managed_by
from aldea.workspace.forms import InviteForm, RoleForm
from aldea.workspace.views.setup import _managed_programme

MEMBERS_PER_PAGE = 50
MEMBERS_SORTED_BY_NAME = 2_000


@login_required
@require_GET
def people_home(request):
    """The People link: the one programme a manager runs, or a choice of them."""
    programmes = list(programmes_managed_by(request.user).order_by("name"))
    if len(programmes) == 1:
        return redirect("workspace:people", slug=programmes[0].slug)
    return render(request, "workspace/people_choose.html", {"programmes": programmes})


def _invite_form(programme, data=None):
    return InviteForm(data, villages=programme.villages.order_by("name"),
                      organisations=organisations_of_programmes([programme.pk]).order_by("name").distinct(),
                      people=members_of([programme.pk]).filter(user__isnull=True))


def _members_page(request, programme):
    """The page of members to show: of one role and matching a name when asked, 50 at a time
    (a national programme has 240,000 members)."""
    memberships = memberships_visible_to(request.user).filter(programme=programme)
    role = request.GET.get("role", "")
    if role in Role.values:
        memberships = memberships.filter(role=role)
    name = request.GET.get("q", "").strip()[:100]
    if name:
        memberships = memberships.filter(
            Q(person__given_name__icontains=name) | Q(person__family_name__icontains=name)
            | Q(person__user__username__icontains=name))
    total = memberships.count()
    # A team is listed by name; a national programme's 240,000 members in the order they
    # joined, since sorting them all by name took most of a second a page (find one by name).
    ordering = (("-is_active", "role", "person__family_name", "person__given_name", "pk")
                if total <= MEMBERS_SORTED_BY_NAME else ("pk",))
    paginator = Paginator(memberships.select_related("person__user", "village", "organisation").order_by(*ordering),
                          MEMBERS_PER_PAGE)
    paginator.count = total  # counted above
    return paginator.get_page(request.GET.get("page")), role, name


def _page(request, programme, *, form=None, new_invitation=None, status=200):
    memberships, role, name = _members_page(request, programme)
    manageable = set(memberships_manageable_by(request.user)
                     .filter(pk__in=[m.pk for m in memberships]).values_list("id", flat=True))
    pending = (invitations_visible_to(request.user)
               .filter(programme=programme, accepted_at__isnull=True, revoked_at__isnull=True,
                       expires_at__gt=timezone.now())
               .select_related("village", "organisation"))
    rows = [{"membership": m, "may_change": m.id in manageable and m.person.user_id != request.user.pk}
            for m in memberships]
    query = urlencode({key: value for key, value in (("role", role), ("q", name)) if value})
    return render(request, "workspace/people.html", {
        "programme": programme, "rows": rows, "page": memberships, "role": role, "name": name,
        "query": f"&{query}" if query else "", "roles": Role.choices,
        "pending": pending, "form": form or _invite_form(programme),
        "role_form": RoleForm(), "new_invitation": new_invitation,
    }, status=status)


@login_required
@require_GET
def people(request, slug):
    return _page(request, _managed_programme(request.user, slug))


@login_required
@require_POST
def people_invite(request, slug):
    programme = _managed_programme(request.user, slug)
    form = _invite_form(programme, request.POST)
    if not form.is_valid():
        return _page(request, programme, form=form, status=400)
    data = form.cleaned_data
    try:
        invitation, code = invite(
            user=request.user, programme=programme, role=data["role"], village=data["village"],
            organisation=data["organisation"], email=data["email"], given_name=data["given_name"],
            family_name=data["family_name"], base_url=request.build_absolute_uri("/"), person=data["person"],
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return _page(request, programme, form=form, status=400)
    # The code is shown this once: only its digest is kept.
    new_invitation = {"invitation": invitation, "code": code,
                      "link": request.build_absolute_uri(join_path(code)),
                      "join": request.build_absolute_uri(reverse("accounts:join"))}
    return _page(request, programme, new_invitation=new_invitation)


def _membership(request, slug, pk):
    programme = _managed_programme(request.user, slug)
    membership = changeable_or_404(memberships_visible_to(request.user).filter(programme=programme),
                                   memberships_manageable_by(request.user), pk=pk)
    return programme, membership


@login_required
@require_POST
def membership_end(request, slug, pk):
    programme, membership = _membership(request, slug, pk)
    try:
        end_membership(user=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s no longer has access as %(role)s.")
                         % {"person": membership.person, "role": membership.get_role_display()})
    return redirect("workspace:people", slug=programme.slug)


@login_required
@require_POST
def membership_role(request, slug, pk):
    programme, membership = _membership(request, slug, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Role: choose one from the list."))
        return redirect("workspace:people", slug=programme.slug)
    try:
        membership = change_membership_role(user=request.user, membership=membership, role=form.cleaned_data["role"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s is now %(role)s.")
                         % {"person": membership.person, "role": membership.get_role_display()})
    return redirect("workspace:people", slug=programme.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    programme = _managed_programme(request.user, slug)
    invitation = visible_or_404(invitations_visible_to(request.user).filter(programme=programme), pk=pk)
    try:
        revoke_invitation(user=request.user, invitation=invitation)
    except InvitationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation was withdrawn; its code no longer works."))
    return redirect("workspace:people", slug=programme.slug)
