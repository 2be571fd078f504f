"""Walk the pages a signed-in person reaches by following links, one page per route.

The browser tests that check every page (accessibility, phone layout) share this walk: from the
landing page, every same-site link is followed breadth first; a route (``msmes/<code>/``) is
visited once per person, with the first record its links lead to, so the walk covers every kind of
page without opening all 400 MSMEs. Downloads, the admin, the API, logout and the language switch
are left out: they are not pages of the site's layout.
"""

from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/accounts/logout/", "/healthz")
# Routes that answer files (CSV, XLSX, PDF, GeoJSON, XLSForm) rather than pages.
SKIP_ROUTE_WORDS = ("export", "download", ".csv", ".xlsx", ".pdf", "geo/", "xlsform", "feed", "print")


def signed_in_page(browser_page, username: str, *, width: int, height: int = 900):
    """A page signed in as the demo's ``username``, patient with a loaded machine: the walk's
    pages (the overview, the map) draw their charts before the network is idle."""
    from aldea.accounts.models import User

    user = User.objects.get(username=username)
    user.set_password("secret-pass-123")
    user.save(update_fields=["password"])
    page = browser_page(None, width=width)
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(120_000)
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def is_page(path: str) -> bool:
    if path.startswith(SKIP_PREFIXES):
        return False
    route = route_of(path)
    return route is not None and not any(word in route for word in SKIP_ROUTE_WORDS)


def same_site_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != base:
            continue
        paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def walk(page, *, start: str = "/", limit: int = 60, seen_routes: set | None = None):
    """Yield each page's path once the browser has loaded it (``page`` is then on it).

    ``seen_routes``, shared between several people's walks, visits a route only with the first
    person who reaches it."""
    seen_routes = set() if seen_routes is None else seen_routes
    queue = [start]
    queued = {start}
    visited = 0
    while queue and visited < limit:
        path = queue.pop(0)
        route = route_of(path.split("?")[0])
        if route in seen_routes and path != start:
            continue
        response = page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        # The start page may redirect (home → the person's landing page): its route is where it went.
        route = route_of(urlsplit(page.url).path)
        if route not in seen_routes:
            seen_routes.add(route)
            visited += 1
            yield urlsplit(page.url).path
        for link in same_site_links(page, page.base):
            if link not in queued and is_page(link.split("?")[0]):
                queued.add(link)
                queue.append(link)
