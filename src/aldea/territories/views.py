"""The light GeoJSON every map draws on (public data, INEGI), by URL so browsers cache it."""

import re

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from aldea.territories import geo

# The boundaries change only when Aldea ships new files, and each URL carries the file's hash.
GEOJSON_MAX_AGE = 365 * 24 * 3600


@require_GET
def geojson(request, kind, state="", country="MX"):
    """Light state or municipal boundaries (public data: INEGI, IBGE, or a country's loaded
    file), gzipped when the browser accepts it."""
    if kind not in geo.GEOJSON_FILES or (
        state and (kind != "municipalities" or not re.fullmatch(r"[0-9]{2}", state))
    ):
        raise Http404
    if country != "MX" and not (kind == "states" and geo.has_map(country)):
        raise Http404
    payload = geo.light_geojson(kind, state, country)
    etag = f'"{payload.etag}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(payload.gzipped, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(payload.body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={GEOJSON_MAX_AGE}, immutable"
    response["Vary"] = "Accept-Encoding"
    return response
