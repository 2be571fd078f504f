from django.db import models
from django.utils.translation import gettext_lazy as _


class PlantedEffect(models.Model):
    """What the demo's simulation added to its participants' outcomes, per village and month.

    The sums over the village's participant MSMEs of each month's outcome minus the same month
    without the programme (``aldea.demo.simulation.Month.added_*``), so the planted average
    effect of any aggregation is known exactly (``aldea.demo.planted``). Demo data only.
    """

    village = models.ForeignKey("programmes.Village", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    participants = models.PositiveIntegerField(_("participant MSMEs"))
    added_online_sales = models.DecimalField(_("online sales added"), max_digits=16, decimal_places=2)
    added_total_sales = models.DecimalField(_("total sales added"), max_digits=16, decimal_places=2)
    added_jobs = models.IntegerField(_("jobs added"))

    class Meta:
        ordering = ["village", "month"]
        verbose_name = _("planted effect")
        verbose_name_plural = _("planted effects")
        constraints = [models.UniqueConstraint(fields=["village", "month"], name="planted_effect_unique_month")]

    def __str__(self):
        return f"{self.village} {self.month:%Y-%m}"
