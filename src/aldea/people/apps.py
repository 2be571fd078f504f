from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """The rules about seeing people, and the doors to people and their roles."""

    name = "aldea.people"
    label = "people"
    verbose_name = _("People")
