from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Pages that combine several apps: the overview, villages, the territory explorer, MSMEs."""

    name = "aldea.workspace"
    label = "workspace"
    verbose_name = _("Workspace")
