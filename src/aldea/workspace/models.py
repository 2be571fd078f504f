from django.db import models
from django.utils.translation import gettext_lazy as _

from aldea.programmes.models import Programme


class OverviewSnapshot(models.Model):
    """The overview's counts for one programme as one scope sees it, kept because computing them
    is slow at a large programme's size (aldea.workspace.figures.snapshots; decision O17)."""

    WHOLE = "whole"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    # "whole" for whoever sees the whole programme; "user:<id>" for a narrower scope; a village
    # page's "village:<id>" (the whole village) or "village:<id>:user:<id>".
    scope = models.CharField(max_length=40)
    figures = models.JSONField()
    computed_at = models.DateTimeField()
    # The day the indicators' periods were cut at: a snapshot of another day is stale.
    computed_on = models.DateField()
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("overview snapshot")
        verbose_name_plural = _("overview snapshots")
        constraints = [models.UniqueConstraint(fields=["programme", "scope"], name="overview_snapshot_per_scope")]

    def __str__(self):
        return f"{self.programme} · {self.scope} · {self.computed_at:%Y-%m-%d %H:%M}"
