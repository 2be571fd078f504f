"""The registries' names as people read them: the data page shows these, URLs and commands keep
the codes (``enterprises``, ``people``, ...)."""

from django.utils.translation import gettext_lazy as _

REGISTRY_LABELS = {
    "enterprises": _("MSMEs"),
    "people": _("People"),
    "products": _("Products"),
    "outcomes": _("Monthly outcomes"),
    "localities": _("Localities"),
}


def labelled_registries(kinds) -> list[tuple[str, str]]:
    """(code, translated name) for each registry code, in the given order."""
    return [(kind, REGISTRY_LABELS.get(kind, kind)) for kind in kinds]
