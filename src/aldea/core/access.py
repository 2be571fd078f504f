"""The two questions every door asks, answered the same way everywhere.

Each app's ``queries.py`` says *which* rows a user may see (``*_visible_to``) and change
(``*_writable_by``). This module turns those answers into the door's response: a row out of
sight is a 404 (the door never confirms it exists), a row in sight but not changeable is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404


def is_global(user) -> bool:
    """Superusers and staff see and change every programme's records."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def nothing() -> Q:
    """A condition no row meets."""
    return Q(pk__in=[])


def any_of(*conditions: Q) -> Q:
    """OR of the conditions; matches nothing when there are none."""
    result = nothing()
    for condition in conditions:
        result |= condition
    return result


def visible_or_404(visible: QuerySet, **lookup):
    """The one row of ``visible`` matching ``lookup``, or 404 (absent and hidden alike)."""
    try:
        return visible.get(**lookup)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_writable(writable: QuerySet, obj) -> None:
    """403 unless ``obj`` is one of the ``writable`` rows."""
    if obj is None or not writable.filter(pk=obj.pk).exists():
        raise PermissionDenied


def changeable_or_404(visible: QuerySet, writable: QuerySet, **lookup):
    """The row for a change: 404 when the user cannot see it, 403 when they only see it."""
    obj = visible_or_404(visible, **lookup)
    require_writable(writable, obj)
    return obj
