from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped
from aldea.enterprises.models import ChannelKind


class SalesChannel(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=ChannelKind.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")

    def __str__(self):
        return self.name


class Listing(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada")
        LIVE = "live", _("Publicada")
        PAUSED = "paused", _("Pausada")
        REJECTED = "rejected", _("Rechazada")
        CLOSED = "closed", _("Cerrada")

    product = models.ForeignKey("enterprises.Product", on_delete=models.CASCADE, related_name="listings")
    channel = models.ForeignKey(SalesChannel, on_delete=models.PROTECT, related_name="listings")
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    live_on = models.DateField(_("live since"), null=True, blank=True)

    class Meta:
        ordering = ["product", "channel"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(fields=["product", "channel"], name="listing_unique_product_channel"),
            models.UniqueConstraint(
                fields=["channel", "external_id"], condition=~Q(external_id=""), name="listing_unique_external_id"
            ),
            models.CheckConstraint(
                condition=~Q(status="live") | Q(live_on__isnull=False), name="listing_live_has_date"
            ),
        ]
        # No index on status alone: "live" is most rows, and SQLite's planner would pick it over
        # the product index and scan every live listing for each MSME.

    def __str__(self):
        return f"{self.product} @ {self.channel}"


class OutcomeRecord(TimeStamped):
    """One MSME's results in one calendar month (month is stored as its first day).

    Each figure keeps where it came from (``source_of``): a survey, a person's entry on the
    platform, a marketplace's sales report, a bulk import or an estimate. When two sources
    disagree, the higher ``SOURCE_RANK`` stands (docs/interop.md, "Where each figure comes from").
    """

    class Source(models.TextChoices):
        SURVEY = "survey", _("Encuesta")
        ENTRY = "entry", _("Captura en la plataforma")
        OWNER = "owner", _("Captura de la persona dueña")
        CHANNEL = "channel", _("Reporte de ventas del canal")
        IMPORT = "import", _("Importación")
        ESTIMATE = "estimate", _("Estimación")

    # What a person stated (a survey, an entry, the owner's own entry) outranks a channel's sales
    # report, which is exact but covers one channel; both outrank a bulk import of unstated origin and an estimate.
    SOURCE_RANK = {"entry": 3, "owner": 3, "survey": 3, "channel": 2, "import": 1, "estimate": 0}
    FIGURES = ("total_sales", "online_sales", "orders", "units", "employees", "export_markets")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="outcomes")
    month = models.DateField(_("month"))
    currency = models.CharField(_("currency"), max_length=3, default="MXN")
    total_sales = models.DecimalField(_("total sales"), max_digits=14, decimal_places=2, default=0)
    online_sales = models.DecimalField(_("online sales"), max_digits=14, decimal_places=2, default=0)
    orders = models.PositiveIntegerField(_("online orders"), default=0)
    units = models.PositiveIntegerField(_("units sold"), default=0)
    employees = models.PositiveSmallIntegerField(_("employees"), null=True, blank=True)
    export_markets = models.PositiveSmallIntegerField(_("export markets"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SURVEY)
    # figure name → Source value, for each figure written since figures kept their own source.
    # db_default: writers that insert rows by column list (the demo generator) need not name it.
    figure_sources = models.JSONField(_("source of each figure"), default=dict, blank=True,
                                      db_default=Value({}, output_field=models.JSONField()))

    class Meta:
        ordering = ["enterprise", "month"]
        verbose_name = _("outcome record")
        verbose_name_plural = _("outcome records")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="outcome_unique_month"),
            models.CheckConstraint(condition=Q(total_sales__gte=0, online_sales__gte=0), name="outcome_sales_nonnegative"),
            models.CheckConstraint(condition=Q(online_sales__lte=F("total_sales")), name="outcome_online_within_total"),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self):
        return f"{self.enterprise} {self.month:%Y-%m}"

    def source_of(self, figure: str) -> str | None:
        """Where ``figure`` came from: its entry in ``figure_sources``, else the record's
        ``source``; None for a figure that nobody gave (still empty or zero, its default)."""
        if figure in self.figure_sources:
            return self.figure_sources[figure]
        value = getattr(self, figure)
        if value is None or value == 0:
            return None
        return self.source

    def may_replace(self, figure: str, source: str) -> bool:
        """Whether a value of ``figure`` from ``source`` may replace the stored one."""
        current = self.source_of(figure)
        return current is None or self.SOURCE_RANK[source] >= self.SOURCE_RANK[current]

    def figure_sources_after(self, figures, source: str) -> dict:
        """``figure_sources`` once ``figures`` are written from ``source``. Every figure that has a
        source is named, so a later change of the record's ``source`` re-attributes none."""
        sources = {f: known for f in self.FIGURES if (known := self.source_of(f)) is not None}
        sources.update(dict.fromkeys(figures, source))
        return sources


class OutcomeRollup(models.Model):
    """The outcome figures of one village × month × disaggregation, summed (aldea.outcomes.rollups).

    One row per programme, village (none: MSMEs outside the villages, the comparison group),
    month, group (participant, comparison), owner's sex, age band (in the month's year),
    indigenous-language speaker and the municipality's marginalisation degree. The overview reads
    these rather than aggregating every outcome record. A disaggregation is None where the live
    query's would be (an MSME without an owner; a municipality without a degree is "").
    """

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("programmes.Village", on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField(_("month"))
    group = models.CharField(_("group"), max_length=12)
    sex = models.CharField(_("sex"), max_length=12, null=True)
    age_band = models.CharField(_("age band"), max_length=10)
    speaks_indigenous_language = models.BooleanField(_("indigenous-language speaker"), null=True)
    marginalisation_degree = models.CharField(_("marginalisation degree"), max_length=10, null=True)
    records = models.PositiveIntegerField(_("MSMEs reporting"))  # one record per MSME and month
    online_sales = models.DecimalField(_("online sales"), max_digits=18, decimal_places=2)
    total_sales = models.DecimalField(_("total sales"), max_digits=18, decimal_places=2)
    orders = models.PositiveBigIntegerField(_("online orders"))
    units = models.PositiveBigIntegerField(_("units sold"))
    employees = models.PositiveBigIntegerField(_("employees"))
    exporting = models.PositiveIntegerField(_("MSMEs exporting"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("outcome roll-up")
        verbose_name_plural = _("outcome roll-ups")
        # The overview reads a programme's months; a write refreshes one village's month.
        indexes = [models.Index(fields=["programme", "month"]), models.Index(fields=["village", "month"])]

    def __str__(self):
        return f"{self.programme_id}/{self.village_id} {self.month:%Y-%m}"
