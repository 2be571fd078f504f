"""The installable web app: its manifest and its service worker (docs/decisions.md, O13).

The service worker is served here, at the site's root, rather than from /static/: a worker's
scope is the folder it is served from, and it must not get a hashed name (the browser looks for
updates at the same address). It is sent with ``no-cache`` so that a new release reaches the
phones at their next visit.
"""

import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "aldea" / "sw.js"
THEME_COLOUR = "#0f6e5a"  # --brand in aldea.css


@require_GET
def service_worker(request):
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    # The manifest has one language; the programme's field staff read Spanish first.
    with translation.override("es-mx"):
        description = _("Open-source software for digital-village programmes")
    document = {
        "name": "Aldea",
        "short_name": "Aldea",
        "description": description,
        "lang": "es",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f7f6",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("aldea/icons/aldea-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("aldea/icons/aldea-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("aldea/icons/aldea.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
