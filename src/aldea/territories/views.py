"""Territory pages: the explorer map, a municipality's card, proposing a village, and the GeoJSON."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aldea.accounts import scoping
from aldea.core.charts import figure_json
from aldea.core.exceptions import DomainError
from aldea.core.navigation import STAFF, roles_of
from aldea.programmes.figures import (
    choose_programme,
    manages,
    overview_programme_ids,
    village_point,
)
from aldea.programmes.forms import ProposeVillageForm
from aldea.programmes.models import Village
from aldea.programmes.proposals import propose_village
from aldea.territories import figures
from aldea.territories.clusters import DEFAULT_PROFILE
from aldea.territories.models import AdministrativeArea, ClusterClassification

EXPLORER_ROLES = frozenset({"manager", "analyst", "partner", STAFF})
# The boundaries change only when Aldea ships new files, and each URL carries the file's hash.
GEOJSON_MAX_AGE = 365 * 24 * 3600


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_explorer_role(user):
    if not roles_of(user) & EXPLORER_ROLES:
        raise PermissionDenied


@require_GET
def geojson(request, kind, state=""):
    """Light state or municipal boundaries (public data, INEGI), gzipped when the browser accepts it."""
    if kind not in figures.GEOJSON_FILES or (
        state and (kind != "municipalities" or not re.fullmatch(r"[0-9]{2}", state))
    ):
        raise Http404
    payload = figures.light_geojson(kind, state)
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


@login_required
def explorer(request):
    user = request.user
    _require_explorer_role(user)
    slug = request.GET.get("programme")
    programme, programmes = choose_programme(user, slug, only_ids=overview_programme_ids(user))
    if programme is None:
        if slug:
            raise Http404
        return render(request, "territories/explorer.html", {"programme": None})
    states = figures.states_of(programme.country_id)
    state = request.GET.get("state", "")
    if state not in dict(states):
        state = ""
    rows = figures.municipality_rows(country_id=programme.country_id, state=state)
    enterprises = scoping.enterprises_visible_to(user).filter(programme=programme)
    if state:
        enterprises = enterprises.filter(municipality__parent__code=state)
    by_area, by_state = figures.organisations_by_place(scoping.organisations_visible_to(user))
    # Only to leave out municipalities the programme already works in; nothing of them is shown.
    village_area_ids = set(
        Village.objects.filter(programme=programme).values_list("municipality_id", flat=True)
    )
    candidates = figures.candidate_communities(
        rows,
        village_area_ids=village_area_ids,
        specialities=figures.specialities_by_area(enterprises),
        organisations_by_area=by_area,
        organisations_by_state=by_state,
    )
    has_map = programme.country.code == "MX"
    layers = figures.explorer_layers(rows)
    shown_villages = scoping.villages_visible_to(user).filter(programme=programme)
    if state:
        shown_villages = shown_villages.filter(municipality__parent__code=state)
    points = [
        (village.name, *point)
        for village in shown_villages.select_related("municipality", "locality")
        if (point := village_point(village)) is not None
    ]
    context = {
        "programme": programme,
        "programmes": programmes,
        "states": states,
        "state": state,
        "map_json": figure_json(
            figures.explorer_figure(
                rows, figures.geojson_url("municipalities", state), layers[0], villages=points
            )
        )
        if has_map
        else None,
        "layers": layers if has_map else None,
        "has_classification": any(r.has_classification for r in rows),
        "candidates": candidates,
        "can_propose": manages(user, programme),
        "card_url_template": reverse("territories:municipality_card", args=["00000"]),
        "municipality_count": len(rows),
        # Keyboard and screen-reader users pick a municipality here instead of on the map.
        "municipality_choices": [(r.code, r.name) for r in sorted(rows, key=lambda r: r.name)]
        if state
        else None,
    }
    return render(request, "territories/explorer.html", context)


@login_required
def municipality_card(request, code):
    user = request.user
    _require_explorer_role(user)
    area = get_object_or_404(
        AdministrativeArea.objects.select_related("parent"),
        level=AdministrativeArea.Level.MUNICIPALITY,
        code=code,
    )
    classifications = sorted(
        ClusterClassification.objects.filter(area=area),
        key=lambda c: (c.profile != DEFAULT_PROFILE, c.profile),
    )
    classification = classifications[0] if classifications else None
    context = {
        "area": area,
        "classification": classification,
        "shops_per_1000": (1000 * classification.active_shops / area.households)
        if classification and area.households
        else None,
        "villages": list(
            scoping.villages_visible_to(user)
            .filter(municipality=area)
            .select_related("programme")
            .order_by("name")
        ),
        "organisations": list(
            scoping.organisations_visible_to(user).filter(municipality=area).order_by("name")
        ),
        "msmes": scoping.enterprises_visible_to(user).filter(municipality=area).count(),
    }
    template = (
        "territories/partials/municipality_card.html"
        if _is_htmx(request)
        else "territories/municipality.html"
    )
    return render(request, template, context)


def _propose_context(form, area):
    return {"form": form, "area": area}


@login_required
def propose(request):
    """Managers propose a municipality as a candidate village (GET: the form; POST: propose)."""
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    programme = get_object_or_404(
        scoping.programmes_visible_to(user), slug=data.get("programme", "")
    )
    if not scoping.programmes_managed_by(user).filter(pk=programme.pk).exists():
        raise PermissionDenied
    area = (
        AdministrativeArea.objects.filter(
            level=AdministrativeArea.Level.MUNICIPALITY,
            code=data.get("municipality", ""),
            country_id=programme.country_id,
        )
        .select_related("parent")
        .first()
    )
    template = (
        "territories/partials/propose_form.html"
        if _is_htmx(request)
        else "territories/propose.html"
    )
    if request.method != "POST":
        if area is None:
            raise Http404
        form = ProposeVillageForm(
            initial={
                "programme": programme.slug,
                "municipality": area.code,
                "name": area.name,
                "speciality": request.GET.get("speciality", ""),
            }
        )
        return render(request, template, _propose_context(form, area))
    form = ProposeVillageForm(request.POST)
    if form.is_valid() and area is None:
        form.add_error("municipality", _("Choose a municipality from the table."))
    if form.is_valid():
        try:
            with transaction.atomic():
                village = propose_village(
                    programme=programme,
                    municipality=area,
                    name=form.cleaned_data["name"],
                    speciality=form.cleaned_data["speciality"],
                    note=form.cleaned_data["note"],
                    user=user,
                )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(name)s is now a candidate village.") % {"name": village.name}
            )
            url = reverse("programmes:village", args=[village.slug])
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    return render(request, template, _propose_context(form, area), status=400)
