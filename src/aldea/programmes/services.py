"""Village lifecycle: candidate → selected → active → graduated, each move recorded.

Every door (the village page, the API, the admin's actions) creates villages with
``create_village`` and moves them with ``change_village_status``, so the status history has a
line for every status a village ever had.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aldea.accounts.models import Membership, Person, Role
from aldea.core.exceptions import DomainError
from aldea.programmes.models import (
    BudgetLine,
    FinancialTransaction,
    IndicatorTarget,
    PlannedDisbursement,
    Programme,
    Village,
    VillageStatus,
    VillageStatusChange,
)

ALLOWED_MOVES = {
    VillageStatus.CANDIDATE: {VillageStatus.SELECTED},
    VillageStatus.SELECTED: {VillageStatus.CANDIDATE, VillageStatus.ACTIVE},
    VillageStatus.ACTIVE: {VillageStatus.GRADUATED},
    VillageStatus.GRADUATED: set(),
}


def record_status_change(*, village: Village, from_status: str, to_status: str, user=None, note: str = ""):
    """One line of a village's status history (from_status "" when the village is created)."""
    return VillageStatusChange.objects.create(
        village=village, from_status=from_status, to_status=to_status,
        changed_at=timezone.now(), changed_by=user, note=note,
    )


@transaction.atomic
def create_village(*, user=None, note: str = "", **fields) -> Village:
    """Create a village (``fields`` are the model's) with the first line of its status history.

    A village may join at any status, since a programme may register sites it already runs; an
    active or graduated one needs its launch date. Raises DomainError.
    """
    status = fields.setdefault("status", VillageStatus.CANDIDATE)
    if status not in VillageStatus.values:
        raise DomainError(_("«%(status)s» is not a village status") % {"status": status})
    if status in (VillageStatus.ACTIVE, VillageStatus.GRADUATED) and not fields.get("launched_on"):
        raise DomainError(_("An active or graduated village needs its launch date."))
    village = Village.objects.create(**fields)
    record_status_change(village=village, from_status="", to_status=status, user=user, note=note)
    return village


@transaction.atomic
def change_village_status(
    *, village: Village, to_status: str, user=None, note: str = "", on: datetime.date | None = None
) -> Village:
    """Move a village along ``ALLOWED_MOVES``; activating it sets the launch date (``on``, by
    default today) unless it has one. Raises DomainError."""
    village = Village.objects.select_for_update().get(pk=village.pk)
    if to_status not in ALLOWED_MOVES.get(village.status, set()):
        raise DomainError(
            _("A village cannot go from %(from)s to %(to)s.") % {"from": village.status, "to": to_status}
        )
    record_status_change(village=village, from_status=village.status, to_status=to_status, user=user, note=note)
    village.status = to_status
    if to_status == VillageStatus.ACTIVE and village.launched_on is None:
        village.launched_on = on or timezone.localdate()
    village.save(update_fields=["status", "launched_on", "updated_at"])
    return village


def _free_programme_slug(base: str) -> str:
    base = (slugify(base) or "programme")[:50]
    taken = set(Programme.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_programme(*, user, name: str, country, currency: str, starts_on, ends_on=None, slug: str = "",
                     description: str = "") -> Programme:
    """A new programme, its creator its first manager (a person is made for a user who has none).

    Raises DomainError when the code is taken or the dates are out of order.
    """
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The programme cannot end before it starts."))
    if slug and Programme.objects.filter(slug=slug).exists():
        raise DomainError(_("The code %(slug)s is taken; choose another.") % {"slug": slug})
    programme = Programme.objects.create(
        name=name.strip(), slug=slug or _free_programme_slug(name), country=country, currency=currency.upper(),
        starts_on=starts_on, ends_on=ends_on, description=description,
        status=Programme.Status.ACTIVE if starts_on <= timezone.localdate() else Programme.Status.PLANNED,
    )
    if user is not None and user.is_authenticated:
        person = Person.objects.filter(user=user).first() or Person.objects.create(
            user=user, given_name=user.first_name or user.username, family_name=user.last_name, email=user.email,
        )
        Membership.objects.create(person=person, role=Role.MANAGER, programme=programme, starts_on=starts_on)
    return programme


@transaction.atomic
def set_targets(*, indicator, rows) -> int:
    """Set an indicator's targets: ``rows`` of (village or None, period start, period end, target,
    baseline). A row whose target is None removes that period's target. Returns the rows kept."""
    kept = 0
    for village, start, end, target, baseline in rows:
        if end < start:
            raise DomainError(_("A target's period cannot end before it starts."))
        lookup = {"indicator": indicator, "village": village, "period_start": start}
        if target is None:
            IndicatorTarget.objects.filter(**lookup).delete()
            continue
        IndicatorTarget.objects.update_or_create(
            **lookup, defaults={"period_end": end, "target": target, "baseline": baseline}
        )
        kept += 1
    return kept


#: IATI: a budget's period is at most a year (with a day's slack for leap years).
BUDGET_PERIOD_DAYS = 366
BUDGET_FIELDS = ("name", "kind", "status", "period_start", "period_end", "amount", "currency")


def _money_errors(fields: dict) -> dict:
    """The register's common rules: an ISO 4217 currency, an amount that is not negative."""
    errors = {}
    currency = fields["currency"]
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()):
        errors["currency"] = _("The currency must be three upper-case letters (ISO 4217), for example MXN.")
    if fields["amount"] is None or fields["amount"] < 0:
        errors["amount"] = _("The amount cannot be negative.")
    return errors


def _period_errors(fields: dict) -> dict:
    """A period in order and at most a year long (IATI budgets and planned disbursements)."""
    start, end = fields["period_start"], fields["period_end"]
    if end < start:
        return {"period_end": _("The period cannot end before it starts.")}
    if (end - start).days > BUDGET_PERIOD_DAYS:
        return {"period_end": _("A budget period is at most a year long (IATI): split the line by year.")}
    return {}


def _check_budget_line(fields: dict) -> None:
    errors = {**_money_errors(fields), **_period_errors(fields)}
    if fields["kind"] not in BudgetLine.Kind.values:
        errors["kind"] = _("Choose original or revised.")
    if fields["status"] not in BudgetLine.Status.values:
        errors["status"] = _("Choose indicative or committed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_budget_line(*, user, programme: Programme, line: BudgetLine | None = None, **fields) -> BudgetLine:
    """Add a line to ``programme``'s budget, or change ``line`` (which must be one of its lines).

    ``fields`` are :data:`BUDGET_FIELDS`, all of them. The caller checks that ``user`` manages
    the programme (``programmes_managed_by``); the user is passed for the record.
    Raises ``ValidationError`` with the fields at fault, writing nothing.
    """
    unknown = set(fields) ^ set(BUDGET_FIELDS)
    if unknown:
        raise TypeError(f"save_budget_line needs exactly {BUDGET_FIELDS}, got {sorted(fields)}")
    if line is not None and line.programme_id != programme.pk:
        raise DomainError(_("This budget line belongs to another programme."))
    _check_budget_line(fields)
    line = line or BudgetLine(programme=programme)
    for name, value in fields.items():
        setattr(line, name, value)
    line.save()
    return line



@transaction.atomic
def delete_budget_line(*, user, line: BudgetLine) -> None:
    """Remove a line from its programme's budget. The caller checks that ``user`` manages the
    programme (``budget_lines_writable_by``); the user is passed for the record."""
    line.delete()


PLANNED_DISBURSEMENT_FIELDS = ("period_start", "period_end", "amount", "currency", "provider_name",
                               "provider_ref", "receiver_name", "receiver_ref")
TRANSACTION_FIELDS = ("kind", "transacted_on", "amount", "currency", "reference", "description",
                      "provider_name", "provider_ref", "receiver_name", "receiver_ref")


def _require_fields(fields: dict, names: tuple, service: str) -> None:
    if set(fields) ^ set(names):
        raise TypeError(f"{service} needs exactly {names}, got {sorted(fields)}")


def _save_register_row(row, *, model, programme: Programme, fields: dict, errors: dict):
    """Write one row of the register (new when ``row`` is None) unless there are ``errors``."""
    if row is not None and row.programme_id != programme.pk:
        raise DomainError(_("This entry belongs to another programme."))
    if errors:
        raise ValidationError(errors)
    row = row or model(programme=programme)
    for name, value in fields.items():
        setattr(row, name, value.strip() if isinstance(value, str) and name != "currency" else value)
    row.save()
    return row


@transaction.atomic
def save_planned_disbursement(*, user, programme: Programme, disbursement: PlannedDisbursement | None = None,
                              **fields) -> PlannedDisbursement:
    """Add a planned disbursement to ``programme``'s register, or change ``disbursement`` (one of its own).

    ``fields`` are :data:`PLANNED_DISBURSEMENT_FIELDS`, all of them. The caller checks that
    ``user`` manages the programme (``programmes_managed_by``); the user is passed for the record.
    Raises ``ValidationError`` with the fields at fault (currency, amount, a period out of order
    or longer than a year), writing nothing.
    """
    _require_fields(fields, PLANNED_DISBURSEMENT_FIELDS, "save_planned_disbursement")
    errors = {**_money_errors(fields), **_period_errors(fields)}
    return _save_register_row(disbursement, model=PlannedDisbursement, programme=programme, fields=fields,
                              errors=errors)


@transaction.atomic
def delete_planned_disbursement(*, user, disbursement: PlannedDisbursement) -> None:
    """Remove a planned disbursement (the caller checks ``planned_disbursements_writable_by``)."""
    disbursement.delete()


@transaction.atomic
def save_transaction(*, user, programme: Programme, transaction_row: FinancialTransaction | None = None,
                     **fields) -> FinancialTransaction:
    """Record money that came in or went out of ``programme`` on a day, or change ``transaction_row``.

    ``fields`` are :data:`TRANSACTION_FIELDS`, all of them. The caller checks that ``user``
    manages the programme; the user is passed for the record. Raises ``ValidationError`` with
    the fields at fault (type, currency, amount), writing nothing.
    """
    _require_fields(fields, TRANSACTION_FIELDS, "save_transaction")
    errors = _money_errors(fields)
    if fields["kind"] not in FinancialTransaction.Kind.values:
        errors["kind"] = _("Choose incoming funds, outgoing commitment, disbursement or expenditure.")
    if fields["transacted_on"] is None:
        errors["transacted_on"] = _("Give the date of the transaction.")
    return _save_register_row(transaction_row, model=FinancialTransaction, programme=programme, fields=fields,
                              errors=errors)


@transaction.atomic
def delete_transaction(*, user, transaction_row: FinancialTransaction) -> None:
    """Remove a transaction (the caller checks ``transactions_writable_by``)."""
    transaction_row.delete()
