from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ONLINE_SALES = "online_sales", _("Online sales")
    TOTAL_SALES = "total_sales", _("Total sales")
    ORDERS = "orders", _("Online orders")
    JOBS = "jobs", _("Jobs")


class ImpactEstimate(models.Model):
    """What the programme caused on one outcome, computed by the analytics task.

    ``result`` holds ``aldea.reporting.impact.compute.compute_impact``: the estimator's JSON
    (docs/data-contracts.md) with the panel's description, who benefits (online sales) and the
    data quality; or the reason there is no estimate (``error``). ``snapshot_hash`` is the
    SHA-256 of the panel the estimate was computed from, ``data_as_of`` the latest change to
    the outcome records it read.
    """

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE,
                                  related_name="impact_estimates")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    price_index = models.CharField(_("price index"), max_length=40, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    snapshot_hash = models.CharField(_("data snapshot hash"), max_length=64, blank=True)
    rows_read = models.PositiveIntegerField(_("outcome records read"), default=0)
    msmes = models.PositiveIntegerField(_("MSMEs in the panel"), default=0)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    comparison = models.PositiveIntegerField(_("comparison MSMEs"), default=0)
    error = models.TextField(_("why there is no estimate"), blank=True)
    result = models.JSONField(_("result"))

    class Meta:
        ordering = ["programme", "outcome", "-computed_at"]
        get_latest_by = "computed_at"
        verbose_name = _("impact estimate")
        verbose_name_plural = _("impact estimates")
        indexes = [models.Index(fields=["programme", "outcome", "computed_at"])]

    def __str__(self):
        return f"{self.programme} {self.outcome} {self.computed_at:%Y-%m-%d %H:%M}"


class FunderReport(models.Model):
    """A funder report (PDF) asked for from the overview and built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE,
                                  related_name="funder_reports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=10)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    snapshot_hash = models.CharField(_("data snapshot hash"), max_length=64, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("funder report")
        verbose_name_plural = _("funder reports")

    def __str__(self):
        return f"{self.programme} {self.language} {self.created_at:%Y-%m-%d %H:%M}"
