from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class Programme(TimeStamped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planeado")
        ACTIVE = "active", _("Activo")
        CLOSED = "closed", _("Cerrado")

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey("territories.Country", on_delete=models.PROTECT, related_name="programmes")
    currency = models.CharField(_("currency"), max_length=3)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("description"), blank=True)
    iati_identifier = models.CharField(_("IATI identifier"), max_length=100, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programme_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="programme_currency_iso4217"),
        ]

    def __str__(self):
        return self.name


class VillageStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidata")
    SELECTED = "selected", _("Seleccionada")
    ACTIVE = "active", _("Activa")
    GRADUATED = "graduated", _("Graduada")


class Village(TimeStamped):
    """A digital village: a programme site in a municipality, chosen for its speciality."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="villages")
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    municipality = models.ForeignKey(
        "territories.AdministrativeArea", on_delete=models.PROTECT, related_name="villages",
        limit_choices_to={"level": "municipality"},
    )
    locality = models.ForeignKey(
        "territories.Locality", on_delete=models.PROTECT, null=True, blank=True, related_name="villages"
    )
    speciality = models.CharField(_("speciality"), max_length=150)
    status = models.CharField(_("status"), max_length=10, choices=VillageStatus.choices, default=VillageStatus.CANDIDATE)
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    target_msmes = models.PositiveIntegerField(_("target MSMEs"), default=50)
    story = models.TextField(_("story"), blank=True)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["candidate", "selected"]) | Q(launched_on__isnull=False),
                name="village_active_has_launch_date",
            ),
        ]

    def __str__(self):
        return self.name


class VillageStatusChange(models.Model):
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=VillageStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=VillageStatus.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["village", "changed_at"]
        verbose_name = _("village status change")
        verbose_name_plural = _("village status changes")

    def __str__(self):
        return f"{self.village}: {self.from_status or '-'} → {self.to_status}"


class Indicator(models.Model):
    """What a programme measures, as data: a numerator and an optional denominator over the
    platform's facts (``aldea.reporting.indicators``), a period type and an aggregation."""

    class PeriodType(models.TextChoices):
        CUMULATIVE = "cumulative", _("So far (up to the end of the period)")
        FLOW = "flow", _("Within the period")
        LATEST = "latest", _("In the period's last month")
        IN_FORCE = "in_force", _("In force at the end of the period")
        UNDATED = "undated", _("Current records, whatever their date")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Pooled over villages")
        MEAN = "mean", _("Mean of the villages")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, default="count")
    description = models.TextField(_("description"), blank=True)
    # A higher value is better for nearly all programme indicators; funders' reports need to know.
    is_ascending = models.BooleanField(_("higher is better"), default=True)
    definition = models.JSONField(_("definition"), default=dict, blank=True)
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices, default=PeriodType.CUMULATIVE)
    aggregation = models.CharField(_("aggregation"), max_length=4, choices=Aggregation.choices, default=Aggregation.SUM)
    # value = scale × numerator / denominator: 100 for a percentage.
    scale = models.DecimalField(_("scale"), max_digits=8, decimal_places=2, default=1)
    is_money = models.BooleanField(_("in the programme's currency"), default=False)
    # Tiles on the overview, in this order; the others appear in reports only.
    is_headline = models.BooleanField(_("shown on the overview"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="indicator_unique_code")]

    def __str__(self):
        return self.name


class IndicatorTarget(models.Model):
    """Baseline and target of an indicator for the programme or one village, in a period. The
    actual is never stored: it is the indicator's value from live data (aldea.reporting.indicators)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, null=True, blank=True, related_name="targets")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="target_period_ordered"),
            models.UniqueConstraint(fields=["indicator", "village", "period_start"], name="target_unique_period"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_start}–{self.period_end}: {self.target}"


class EquityReport(models.Model):
    """Who benefits: the programme's inequality figures, computed by the analytics task.

    ``figures`` holds the output of ``aldea.reporting.equity.compute_equity_figures`` (Gini and
    Theil of online-sales gains among participants, decompositions by owner's sex and by
    marginalisation degree, shares from high and very high marginalisation, the Lorenz curve).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="equity_reports")
    computed_at = models.DateTimeField(_("computed at"))
    participants = models.PositiveIntegerField(_("participants"))
    figures = models.JSONField(_("figures"))

    class Meta:
        ordering = ["programme", "-computed_at"]
        get_latest_by = "computed_at"
        verbose_name = _("equity report")
        verbose_name_plural = _("equity reports")

    def __str__(self):
        return f"{self.programme} {self.computed_at:%Y-%m-%d}"


# -- the programme's budget and disbursement register (exported to IATI) ----------------------


class Money(models.Model):
    """An amount in a currency, over a period or on a day: the register's common fields."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        abstract = True


class BudgetLine(Money):
    """One line of the programme's budget for a period (IATI ``budget``: at most a year)."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original")
        REVISED = "revised", _("Revised")

    class Status(models.TextChoices):
        INDICATIVE = "indicative", _("Indicative")
        COMMITTED = "committed", _("Committed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(_("budget line"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INDICATIVE)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    class Meta:
        ordering = ["programme", "period_start", "name"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="budget_period_ordered"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_nonnegative"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="budget_currency_iso4217"),
        ]

    def __str__(self):
        return f"{self.name} {self.period_start}–{self.period_end}: {self.amount} {self.currency}"


class PlannedDisbursement(Money):
    """Money a funder plans to pass to the programme (or the programme to a partner) in a period."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="planned_disbursements")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    provider_name = models.CharField(_("from (organisation)"), max_length=200, blank=True)
    provider_ref = models.CharField(_("from (IATI organisation identifier)"), max_length=100, blank=True)
    receiver_name = models.CharField(_("to (organisation)"), max_length=200, blank=True)
    receiver_ref = models.CharField(_("to (IATI organisation identifier)"), max_length=100, blank=True)

    class Meta:
        ordering = ["programme", "period_start"]
        verbose_name = _("planned disbursement")
        verbose_name_plural = _("planned disbursements")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="planned_period_ordered"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="planned_amount_nonnegative"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="planned_currency_iso4217"),
        ]

    def __str__(self):
        return f"{self.period_start}–{self.period_end}: {self.amount} {self.currency}"


class FinancialTransaction(Money):
    """Money that came in or went out on a day (IATI ``transaction``)."""

    class Kind(models.TextChoices):
        # IATI TransactionType codes 1-4.
        INCOMING_FUNDS = "incoming_funds", _("Incoming funds")
        COMMITMENT = "commitment", _("Outgoing commitment")
        DISBURSEMENT = "disbursement", _("Disbursement")
        EXPENDITURE = "expenditure", _("Expenditure")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="transactions")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    transacted_on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    provider_name = models.CharField(_("from (organisation)"), max_length=200, blank=True)
    provider_ref = models.CharField(_("from (IATI organisation identifier)"), max_length=100, blank=True)
    receiver_name = models.CharField(_("to (organisation)"), max_length=200, blank=True)
    receiver_ref = models.CharField(_("to (IATI organisation identifier)"), max_length=100, blank=True)

    class Meta:
        ordering = ["programme", "transacted_on"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="transaction_amount_nonnegative"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="transaction_currency_iso4217"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.transacted_on}: {self.amount} {self.currency}"
