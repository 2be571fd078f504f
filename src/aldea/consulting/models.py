from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class Stage(models.TextChoices):
    DIAGNOSED = "diagnosed", _("Diagnosticada")
    ACTION_PLAN = "action_plan", _("Plan de acción")
    LISTING = "listing", _("Publicación")
    FIRST_SALE = "first_sale", _("Primera venta en línea")
    GRADUATED = "graduated", _("Graduada")
    DROPPED = "dropped", _("Baja")


class DropReason(models.TextChoices):
    """Why an MSME left the programme: a coded list the drop-reason report counts; "other" needs words."""

    NO_TIME = "no_time", _("No time")
    NO_INTERNET = "no_internet", _("No internet")
    NO_PRODUCT = "no_product", _("No product to sell")
    NOT_INTERESTED = "not_interested", _("Not interested")
    MOVED_AWAY = "moved_away", _("Moved away")
    CLOSED_BUSINESS = "closed_business", _("Closed the business")
    OTHER = "other", _("Other reason")


# The forward path of an engagement; the moves allowed along it are consulting.services.ALLOWED_MOVES.
STAGE_ORDER = [Stage.DIAGNOSED, Stage.ACTION_PLAN, Stage.LISTING, Stage.FIRST_SALE, Stage.GRADUATED]


class Engagement(TimeStamped):
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="engagements")
    consultant = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="engagements")
    supervisor = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="engagements_supervised"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.DIAGNOSED)
    drop_reason_code = models.CharField(
        _("why the MSME dropped out"), max_length=20, choices=DropReason.choices, blank=True,
        db_default="",
    )
    # Free words about the drop: required with "other", optional with a coded reason.
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="dropped") | ~Q(drop_reason_code=""), name="engagement_drop_has_reason_code"
            ),
            models.CheckConstraint(
                condition=~Q(drop_reason_code="other") | ~Q(drop_reason=""), name="engagement_other_drop_has_words"
            ),
            models.UniqueConstraint(fields=["enterprise", "consultant", "started_on"], name="engagement_unique_start"),
        ]
        indexes = [models.Index(fields=["stage"])]

    def __str__(self):
        return f"{self.enterprise} · {self.consultant}"


class StageChange(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["engagement", "changed_at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.engagement}: {self.from_stage or '-'} → {self.to_stage}"


class ConsultantChange(models.Model):
    """One line of an engagement's assignment history: who served it before, who serves it now,
    who made the change and when. The engagement (and its stage history) stays the same row."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="consultant_changes")
    from_consultant = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_consultant = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["engagement", "changed_at"]
        verbose_name = _("consultant change")
        verbose_name_plural = _("consultant changes")

    def __str__(self):
        return f"{self.engagement}: {self.from_consultant or '-'} → {self.to_consultant}"


class Meeting(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("Presencial")
        REMOTE = "remote", _("A distancia")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["engagement", "held_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.engagement} {self.held_on}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Pendiente")
        DONE = "done", _("Hecha")
        CANCELLED = "cancelled", _("Cancelada")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("title"), max_length=250)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["engagement", "due_on"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False), name="action_done_has_date"
            ),
        ]

    def __str__(self):
        return self.title
