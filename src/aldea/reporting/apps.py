from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The platform's analytics: clusters, equity figures, and the task that computes them."""

    name = "aldea.reporting"
    label = "reporting"
    verbose_name = _("Reporting")
