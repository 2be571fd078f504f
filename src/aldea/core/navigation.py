"""The navigation each role sees, and the page each role lands on."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from aldea.accounts.models import Role
from aldea.accounts.scoping import reach_of

ALL_ROLES = frozenset(Role.values)
STAFF = "staff"  # superusers and staff see every page


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset


NAV_ITEMS = [
    NavItem("programmes:overview", _("Overview"), frozenset({"manager", "partner", "analyst"})),
    NavItem("territories:explorer", _("Territory"), frozenset({"manager", "analyst", "partner"})),
    NavItem("programmes:villages", _("Villages"), ALL_ROLES - {"msme_owner"}),
    NavItem("training:courses", _("Training"), frozenset({"manager", "trainer", "consultant", "partner", "analyst"})),
    NavItem("consulting:board", _("Consultancy"), frozenset({"manager", "trainer", "consultant"})),
    NavItem("enterprises:list", _("MSMEs"), frozenset({"manager", "trainer", "consultant", "analyst", "msme_owner"})),
    NavItem("partners:list", _("Partners"), frozenset({"manager", "partner", "analyst"})),
    NavItem("interop:upload", _("Data"), frozenset({"manager", "analyst"})),
    NavItem("admin:index", _("Administration"), frozenset({STAFF})),
]

# Where each role lands after logging in, in order of precedence when a person holds several.
HOME_BY_ROLE = [
    ("manager", "programmes:overview"),
    ("analyst", "programmes:overview"),
    ("partner", "programmes:overview"),
    ("trainer", "training:courses"),
    ("consultant", "consulting:board"),
    ("msme_owner", "enterprises:list"),
]


def roles_of(user) -> frozenset:
    """The roles a user holds through active memberships; staff hold them all. No query of its
    own: it reads the reach that scoping already loaded for the request."""
    if not user.is_authenticated:
        return frozenset()
    reach = reach_of(user)
    if reach.is_global:
        return ALL_ROLES | {STAFF}
    return reach.roles


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
