"""The audit trail of the programmes a manager runs: who changed what, when, and how."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aldea.accounts.queries import audit_entries_visible_to, manages_any
from aldea.ops.models import AuditEntry
from aldea.programmes.queries import programmes_managed_by
from aldea.workspace.forms import SYSTEM_ACTOR, TrailFilterForm

ENTRIES_PER_PAGE = 50


def _filter_form(request, entries):
    kinds = ContentType.objects.filter(pk__in=entries.order_by().values("content_type_id").distinct())
    actors = get_user_model().objects.filter(pk__in=entries.order_by().values("actor_id").distinct())
    return TrailFilterForm(
        request.GET or None,
        programmes=list(programmes_managed_by(request.user).order_by("name").values_list("pk", "name")),
        kinds=sorted(((ct.pk, AuditEntry(content_type=ct).kind_label.capitalize()) for ct in kinds),
                     key=lambda choice: choice[1]),
        actors=[(SYSTEM_ACTOR, _("System (commands, worker)")),
                *((u.pk, u.get_full_name() or u.get_username()) for u in actors.order_by("username"))],
        actions=AuditEntry.Action.choices,
    )


@login_required
@require_GET
def trail(request):
    if not manages_any(request.user):
        raise Http404  # the trail exists for the people who answer for a programme
    entries = audit_entries_visible_to(request.user).order_by("-timestamp", "-pk")
    form = _filter_form(request, entries)
    shown = form.apply(entries) if form.is_bound else entries
    page = Paginator(shown, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtering": form.is_bound}
    template = "workspace/partials/trail_entries.html" if request.htmx else "workspace/trail.html"
    return render(request, template, context, status=400 if form.is_bound and not form.is_valid() else 200)
