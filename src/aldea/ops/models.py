from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last sign of life of one `aldea worker` process; /healthz reads the newest one.

    A worker writes its row every few seconds from a thread of its own, so a long task does not
    make it look dead, and deletes it when it stops cleanly. A row that stops moving without
    being deleted is a worker that died.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        # The signals' entries, completed with what django-auditlog does not know (aldea.ops.audit).
        from aldea.ops import audit

        actor = audit.current_actor()
        if actor is not None:
            kwargs.setdefault("actor", actor)
            kwargs.setdefault("actor_email", getattr(actor, "email", None) or None)
        kwargs.setdefault("door", audit.current_door())
        kwargs.setdefault("remote_addr", audit.current_remote_addr())
        kwargs.setdefault("programme_id", audit.programme_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    """One change (or one import, or one download of personal data) in the audit trail.

    django-auditlog's entry (who, when, which object, values before and after) plus the door it
    came through and the programme of the object. ``programme_id`` is a plain number, not a
    foreign key: the trail of a deleted programme stays, and aldea.ops depends on no app above it.
    """

    class Door(models.TextChoices):
        PAGE = "page", _("page")
        API = "api", _("API")
        ADMIN = "admin", _("admin")
        IMPORT = "import", _("import")
        COMMAND = "command", _("command or worker")

    door = models.CharField(_("door"), max_length=10, choices=Door.choices, default=Door.COMMAND)
    programme_id = models.PositiveBigIntegerField(_("programme"), null=True, blank=True)
    # Rows written by an import or sent by an export; None for a change to one object.
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    objects = AuditEntryManager()

    @property
    def kind_label(self) -> str:
        """The record's kind as people say it ("MSME", "village"), or the model's name."""
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        # The manager's page: one programme's entries, newest first.
        indexes = [models.Index(fields=["programme_id", "-timestamp"], name="audit_programme_time")]


class ProcessedWrite(models.Model):
    """A write that was applied, under the idempotency key its client gave (aldea.ops.idempotency).

    A phone that lost its connection sends a queued write again, perhaps twice; the second time
    the stored answer is given back and nothing is written. Keys are the client's (a UUID), so
    they are unique per user: one user cannot read another's answer by guessing a key.
    """

    key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    # What the first answer said, to answer a retry the same: a redirect's target, a small body.
    location = models.CharField(max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "processed write"
        constraints = [models.UniqueConstraint(fields=["key", "user"], name="processed_write_unique_key")]

    def __str__(self):
        return f"{self.key} {self.path} → {self.status}"
