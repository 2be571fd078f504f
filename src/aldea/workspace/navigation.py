"""The navigation each role sees, the page each role lands on, and the role gates of pages.

Role sets are built from ``Role``; ``STAFF`` stands for superusers and staff, who see every page.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from aldea.accounts.models import Role
from aldea.accounts.queries import reach_of

STAFF = "staff"
ALL_ROLES = frozenset(Role)

# Pages that show a programme's figures or a whole territory.
OVERVIEW_ROLES = frozenset({Role.MANAGER, Role.ANALYST, Role.PARTNER, STAFF})
# Roles that may start a diagnostic from an MSME's profile.
DIAGNOSING_ROLES = frozenset({Role.MANAGER, Role.TRAINER, Role.CONSULTANT})
# The data page: imports and exports.
DATA_ROLES = frozenset({Role.MANAGER, Role.ANALYST, STAFF})


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset


NAV_ITEMS = [
    NavItem("workspace:overview", _("Overview"), frozenset({Role.MANAGER, Role.PARTNER, Role.ANALYST})),
    NavItem("workspace:explorer", _("Territory"), frozenset({Role.MANAGER, Role.ANALYST, Role.PARTNER})),
    NavItem("workspace:villages", _("Villages"), ALL_ROLES - {Role.MSME_OWNER}),
    NavItem("training:courses", _("Training"), frozenset({Role.MANAGER, Role.TRAINER, Role.CONSULTANT, Role.PARTNER, Role.ANALYST})),
    NavItem("consulting:board", _("Consultancy"), frozenset({Role.MANAGER, Role.TRAINER, Role.CONSULTANT})),
    NavItem("workspace:mine", _("My page"), frozenset({Role.MSME_OWNER})),
    NavItem("workspace:msmes", _("MSMEs"), frozenset({Role.MANAGER, Role.TRAINER, Role.CONSULTANT, Role.ANALYST, Role.MSME_OWNER})),
    NavItem("partners:list", _("Partners"), frozenset({Role.MANAGER, Role.PARTNER, Role.ANALYST})),
    NavItem("workspace:people_home", _("People"), frozenset({Role.MANAGER})),
    NavItem("interop:upload", _("Data"), frozenset({Role.MANAGER, Role.ANALYST})),
    NavItem("workspace:trail", _("Trail"), frozenset({Role.MANAGER})),
    NavItem("admin:index", _("Administration"), frozenset({STAFF})),
]

# Where each role lands after logging in, in order of precedence when a person holds several.
HOME_BY_ROLE = [
    (Role.MANAGER, "workspace:overview"),
    (Role.ANALYST, "workspace:overview"),
    (Role.PARTNER, "workspace:overview"),
    (Role.TRAINER, "training:courses"),
    # A consultant lands on their to-do (meetings due, open action items); it links the board.
    (Role.CONSULTANT, "consulting:todo"),
    (Role.MSME_OWNER, "workspace:mine"),
]


def roles_of(user) -> frozenset:
    """The roles a user holds through active memberships, in any programme; staff hold them all.
    No query of its own: it reads the reach the rules already loaded for the request."""
    if not user.is_authenticated:
        return frozenset()
    reach = reach_of(user)
    if reach.is_global:
        return ALL_ROLES | {STAFF}
    return reach.roles


def require_role(user, roles: frozenset) -> None:
    """403 unless the user holds one of ``roles`` somewhere (the page then scopes its rows)."""
    if not roles_of(user) & roles:
        raise PermissionDenied


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:  # the page's app is not installed in this deployment
        return None


def nav_items_for(user, current_path: str = "") -> list[dict]:
    roles = roles_of(user)
    items = []
    for item in NAV_ITEMS:
        url = _url(item.url_name) if roles & item.roles else None
        if url:
            items.append({"url": url, "label": item.label, "current": current_path.startswith(url) and url != "/"})
    return items


def home_url_for(user) -> str | None:
    roles = roles_of(user)
    for role, url_name in HOME_BY_ROLE:
        if role in roles and (url := _url(url_name)):
            return url
    return None


def navigation(request):
    """Context processor: the navigation of the current user."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items_for(request.user, request.path)}
