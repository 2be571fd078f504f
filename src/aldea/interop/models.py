from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonReference(models.Model):
    """A person's identifier in the programme's own lists (registration number, folio, CURP, CPF).

    People rarely have an email in the field, and Person has no code of its own; this is the key
    that makes a re-import of the same list update people instead of duplicating them.
    """

    person = models.OneToOneField("accounts.Person", on_delete=models.CASCADE, related_name="external_reference")
    external_id = models.CharField(_("external id"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("person reference")
        verbose_name_plural = _("person references")

    def __str__(self):
        return self.external_id


class KoboSubmission(models.Model):
    """A KoboToolbox/ODK submission already imported: re-importing the same export changes nothing."""

    uuid = models.CharField(_("submission UUID"), max_length=64, unique=True)
    form = models.CharField(_("form"), max_length=40)
    imported_at = models.DateTimeField(auto_now_add=True)
    # What the submission created, e.g. {"enterprise": "e1", "assessment": 12}.
    records = models.JSONField(_("records"), default=dict, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("KoboToolbox submission")
        verbose_name_plural = _("KoboToolbox submissions")

    def __str__(self):
        return f"{self.form} {self.uuid}"


class ChannelSales(models.Model):
    """One MSME's sales on one channel in one month, as the channel's own report gives them.

    OutcomeRecord keeps one online-sales figure per month; keeping each channel's share here lets
    a re-imported (or corrected) report replace that channel's figures instead of adding to them.
    """

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="channel_sales")
    channel = models.ForeignKey("outcomes.SalesChannel", on_delete=models.PROTECT, related_name="monthly_sales")
    month = models.DateField(_("month"))
    sales = models.DecimalField(_("sales"), max_digits=14, decimal_places=2)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)

    class Meta:
        ordering = ["enterprise", "month", "channel"]
        verbose_name = _("channel sales")
        verbose_name_plural = _("channel sales")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "channel", "month"], name="channel_sales_unique_month"),
            models.CheckConstraint(condition=models.Q(sales__gte=0), name="channel_sales_nonnegative"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.channel} {self.month:%Y-%m}"


class ChannelOrderLine(models.Model):
    """One line of one order as a channel's sales report gives it, kept so that reports add up.

    Reports cover any dates and overlap; ChannelSales for a month is the sum of its lines, so a
    line seen in two reports counts once and a corrected report replaces the earlier copy.
    """

    class Status(models.TextChoices):
        SOLD = "sold", _("Vendida")
        CANCELLED = "cancelled", _("Cancelada")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="channel_order_lines")
    channel = models.ForeignKey("outcomes.SalesChannel", on_delete=models.PROTECT, related_name="order_lines")
    product = models.ForeignKey("enterprises.Product", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="channel_order_lines")
    order_id = models.CharField(_("order id"), max_length=64)
    # Listing id and SKU as the report gives them ("MLM111|TAP-001"), with "#2", "#3"... for
    # repeats of the same product within one order: identical in every download of the order.
    line_key = models.CharField(_("line key"), max_length=200)
    sold_on = models.DateField(_("sale date"))
    month = models.DateField(_("month"))
    units = models.PositiveIntegerField(_("units"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SOLD)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["channel", "order_id", "line_key"]
        verbose_name = _("channel order line")
        verbose_name_plural = _("channel order lines")
        constraints = [
            models.UniqueConstraint(fields=["channel", "order_id", "line_key"], name="channel_order_line_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0, units__gte=0), name="channel_order_line_nonnegative"),
        ]
        # The import recomputes one MSME's month on one channel from its lines.
        indexes = [models.Index(fields=["enterprise", "channel", "month"], name="channel_order_line_month")]

    def __str__(self):
        return f"{self.channel} {self.order_id} {self.line_key}"


class UploadJob(models.Model):
    """A large upload's check or import, run by the worker while the page polls its progress.

    Above ``ALDEA_UPLOAD_WORKER_BYTES`` the data page stores the file and queues this job instead
    of holding the request (decision O11). ``report`` is the finished ImportReport, which the page
    shows exactly as the synchronous path does; ``token`` is the commit token a finished check
    gives, or the one a queued import was started with.
    """

    class Phase(models.TextChoices):
        CHECK = "check", _("check")
        IMPORT = "import", _("import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    public_id = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upload_jobs")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    kind = models.CharField(max_length=20)
    mode = models.CharField(max_length=20)
    name = models.CharField(max_length=255)
    upload = models.CharField(max_length=32)  # the stored upload's id (services.STORED_UPLOAD_NAME)
    format = models.CharField(max_length=10)
    token = models.TextField(blank=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # an estimate, before reading
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload job")
        verbose_name_plural = _("upload jobs")

    def __str__(self):
        return f"{self.phase} {self.kind} {self.name} ({self.status})"
