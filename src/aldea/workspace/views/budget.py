"""The programme's budget register from the web: its budget lines, planned disbursements and
transactions listed, added, changed and deleted.

Those who see the programme whole (``programmes_seen_whole_by``) read the register; its
managers write it, through ``programmes.services`` (``save_budget_line``,
``save_planned_disbursement``, ``save_transaction`` and their ``delete_*``) like the API.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aldea.core.access import changeable_or_404, visible_or_404
from aldea.core.exceptions import DomainError
from aldea.programmes.models import FinancialTransaction
from aldea.programmes.queries import (
    budget_lines_visible_to,
    budget_lines_writable_by,
    planned_disbursements_visible_to,
    planned_disbursements_writable_by,
    programmes_managed_by,
    programmes_seen_whole_by,
    transactions_visible_to,
    transactions_writable_by,
)
from aldea.programmes.services import (
    BUDGET_FIELDS,
    PLANNED_DISBURSEMENT_FIELDS,
    TRANSACTION_FIELDS,
    delete_budget_line,
    delete_planned_disbursement,
    delete_transaction,
    save_budget_line,
    save_planned_disbursement,
    save_transaction,
)
from aldea.workspace.forms import BudgetLineForm, FinancialTransactionForm, PlannedDisbursementForm


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


def _totals_by_kind(transactions) -> list[dict]:
    rows = transactions.values("kind", "currency").annotate(total=Sum("amount")).order_by("kind", "currency")
    return [{**row, "label": FinancialTransaction.Kind(row["kind"]).label} for row in rows]


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
    disbursements = planned_disbursements_visible_to(request.user).filter(programme=programme)
    transactions = transactions_visible_to(request.user).filter(programme=programme)
    context = {"programme": programme, "lines": lines, "totals": _totals(lines), "form": form,
               "can_manage": can_manage, "disbursements": disbursements,
               "disbursement_totals": _totals(disbursements), "transactions": transactions,
               "transaction_totals": _totals_by_kind(transactions)}
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


@login_required
@require_POST
def budget_line_delete(request, slug, pk):
    """A budget line removed by a manager of its programme."""
    line = changeable_or_404(budget_lines_visible_to(request.user).select_related("programme"),
                             budget_lines_writable_by(request.user), programme__slug=slug, pk=pk)
    delete_budget_line(user=request.user, line=line)
    messages.success(request, _("Budget line %(name)s deleted.") % {"name": line.name})
    return redirect("workspace:budget", slug=slug)


# -- planned disbursements and transactions: one pattern, two registers ---------------------------


@dataclass(frozen=True)
class Register:
    """What differs between the register's entries; the views below are the same for both."""

    form: type
    fields: tuple
    visible: object  # user -> QuerySet
    writable: object  # user -> QuerySet
    save: object  # the service
    delete: object
    argument: str  # the service's keyword for the row
    new_title: object
    saved: object  # message, with %(entry)s
    deleted: object


REGISTERS = {
    "disbursements": Register(
        form=PlannedDisbursementForm, fields=PLANNED_DISBURSEMENT_FIELDS, visible=planned_disbursements_visible_to,
        writable=planned_disbursements_writable_by, save=save_planned_disbursement,
        delete=delete_planned_disbursement, argument="disbursement",
        new_title=gettext_lazy("New planned disbursement"),
        saved=gettext_lazy("Planned disbursement %(entry)s saved."),
        deleted=gettext_lazy("Planned disbursement %(entry)s deleted."),
    ),
    "transactions": Register(
        form=FinancialTransactionForm, fields=TRANSACTION_FIELDS, visible=transactions_visible_to,
        writable=transactions_writable_by, save=save_transaction, delete=delete_transaction,
        argument="transaction_row", new_title=gettext_lazy("New transaction"),
        saved=gettext_lazy("Transaction %(entry)s saved."),
        deleted=gettext_lazy("Transaction %(entry)s deleted."),
    ),
}


def _register(kind: str) -> Register:
    try:
        return REGISTERS[kind]
    except KeyError:
        raise Http404 from None


def _saved_entry(request, register: Register, form, *, programme, entry=None):
    if not form.is_valid():
        return None
    try:
        return register.save(user=request.user, programme=programme, **{register.argument: entry},
                             **{name: form.cleaned_data[name] for name in register.fields})
    except ValidationError as error:
        form.add_error(None, error)
    except DomainError as error:
        form.add_error(None, str(error))
    return None


@login_required
def register_new(request, slug, kind):
    """A new planned disbursement or transaction, added by a manager of the programme."""
    register = _register(kind)
    programme = changeable_or_404(programmes_seen_whole_by(request.user), programmes_managed_by(request.user),
                                  slug=slug)
    form = register.form(request.POST or None, initial={"currency": programme.currency})
    if request.method == "POST":
        entry = _saved_entry(request, register, form, programme=programme)
        if entry is not None:
            messages.success(request, register.saved % {"entry": entry})
            return redirect("workspace:budget", slug=programme.slug)
    context = {"programme": programme, "form": form, "kind": kind, "entry": None, "title": register.new_title}
    return render(request, "workspace/budget_entry.html", context, status=400 if form.errors else 200)


@login_required
def register_entry(request, slug, kind, pk):
    """One planned disbursement or transaction changed by a manager of its programme."""
    register = _register(kind)
    entry = changeable_or_404(register.visible(request.user).select_related("programme"),
                              register.writable(request.user), programme__slug=slug, pk=pk)
    form = register.form(request.POST or None, initial={name: getattr(entry, name) for name in register.fields})
    if request.method == "POST":
        saved = _saved_entry(request, register, form, programme=entry.programme, entry=entry)
        if saved is not None:
            messages.success(request, register.saved % {"entry": saved})
            return redirect("workspace:budget", slug=entry.programme.slug)
    context = {"programme": entry.programme, "form": form, "kind": kind, "entry": entry, "title": str(entry)}
    return render(request, "workspace/budget_entry.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def register_delete(request, slug, kind, pk):
    """A planned disbursement or transaction removed by a manager of its programme."""
    register = _register(kind)
    entry = changeable_or_404(register.visible(request.user).select_related("programme"),
                              register.writable(request.user), programme__slug=slug, pk=pk)
    label = str(entry)
    register.delete(user=request.user, **{register.argument: entry})
    messages.success(request, register.deleted % {"entry": label})
    return redirect("workspace:budget", slug=slug)
