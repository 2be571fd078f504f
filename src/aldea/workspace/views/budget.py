"""The programme's budget register from the web: its lines listed, added and changed.

Those who see the programme whole (``programmes_seen_whole_by``) read the register; its
managers write it, through ``programmes.services.save_budget_line`` like the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aldea.core.access import changeable_or_404, visible_or_404
from aldea.core.exceptions import DomainError
from aldea.programmes.queries import (
    budget_lines_visible_to,
    budget_lines_writable_by,
    programmes_managed_by,
    programmes_seen_whole_by,
)
from aldea.programmes.services import BUDGET_FIELDS, save_budget_line
from aldea.workspace.forms import BudgetLineForm


def _saved(request, form, *, programme, line=None):
    """Save the form's line through the service; its errors go back onto the form's fields."""
    if not form.is_valid():
        return None
    try:
        return save_budget_line(user=request.user, programme=programme, line=line,
                                **{name: form.cleaned_data[name] for name in BUDGET_FIELDS})
    except ValidationError as error:
        form.add_error(None, error)
    except DomainError as error:
        form.add_error(None, str(error))
    return None


def _totals(lines) -> list[dict]:
    return list(lines.values("currency").annotate(total=Sum("amount")).order_by("currency"))


@login_required
def budget(request, slug):
    """The register's lines by period, their totals by currency, and (for managers) a new line."""
    visible = programmes_seen_whole_by(request.user)
    if request.method == "POST":
        programme = changeable_or_404(visible, programmes_managed_by(request.user), slug=slug)
    else:
        programme = visible_or_404(visible, slug=slug)
    can_manage = programmes_managed_by(request.user).filter(pk=programme.pk).exists()
    form = BudgetLineForm(request.POST or None, initial={"currency": programme.currency}) if can_manage else None
    if request.method == "POST":
        line = _saved(request, form, programme=programme)
        if line is not None:
            messages.success(request, _("Budget line %(name)s added.") % {"name": line.name})
            return redirect("workspace:budget", slug=programme.slug)
    lines = budget_lines_visible_to(request.user).filter(programme=programme)
    context = {"programme": programme, "lines": lines, "totals": _totals(lines), "form": form,
               "can_manage": can_manage}
    return render(request, "workspace/budget.html", context, status=400 if form is not None and form.errors else 200)


@login_required
def budget_line(request, slug, pk):
    """One budget line changed by a manager of its programme."""
    line = changeable_or_404(budget_lines_visible_to(request.user).select_related("programme"),
                             budget_lines_writable_by(request.user), programme__slug=slug, pk=pk)
    initial = {name: getattr(line, name) for name in BUDGET_FIELDS}
    form = BudgetLineForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = _saved(request, form, programme=line.programme, line=line)
        if saved is not None:
            messages.success(request, _("Budget line %(name)s saved.") % {"name": saved.name})
            return redirect("workspace:budget", slug=line.programme.slug)
    return render(request, "workspace/budget_line.html", {"programme": line.programme, "line": line, "form": form},
                  status=400 if form.errors else 200)
