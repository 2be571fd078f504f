"""The territory explorer: the municipal map, a municipality's card, and proposing a village."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aldea.accounts.queries import manages
from aldea.core.access import changeable_or_404
from aldea.core.charts import figure_json
from aldea.core.exceptions import DomainError
from aldea.enterprises.queries import enterprises_visible_to
from aldea.partners.queries import organisations_visible_to
from aldea.programmes.forms import ProposeVillageForm
from aldea.programmes.models import Village
from aldea.programmes.proposals import propose_village
from aldea.programmes.queries import (
    overview_programmes_of,
    programmes_managed_by,
    programmes_visible_to,
    villages_visible_to,
)
from aldea.reporting.clusters import DEFAULT_PROFILE
from aldea.territories import geo
from aldea.territories.models import AdministrativeArea, ClusterClassification
from aldea.workspace.charts import territory as charts
from aldea.workspace.charts.programme import village_point
from aldea.workspace.figures import territory as figures
from aldea.workspace.figures.overview import choose_programme
from aldea.workspace.navigation import OVERVIEW_ROLES, require_role


@login_required
def explorer(request):
    user = request.user
    require_role(user, OVERVIEW_ROLES)
    slug = request.GET.get("programme")
    programme, programmes = choose_programme(overview_programmes_of(user), slug)
    if programme is None:
        if slug:
            raise Http404
        return render(request, "workspace/explorer.html", {"programme": None})
    states = figures.states_of(programme.country_id)
    state = request.GET.get("state", "")
    if state not in dict(states):
        state = ""
    rows = figures.municipality_rows(country_id=programme.country_id, state=state)
    enterprises = enterprises_visible_to(user).filter(programme=programme)
    if state:
        enterprises = enterprises.filter(municipality__parent__code=state)
    by_area, by_state = figures.organisations_by_place(organisations_visible_to(user))
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
    country = programme.country.code
    has_map = geo.has_map(country)
    points = country not in geo.MUNICIPAL_POLYGONS
    # Without municipal polygons a municipality is drawn at its seat, so it needs one.
    drawn = [r for r in rows if r.latitude is not None and r.longitude is not None] if points else rows
    layers = charts.explorer_layers(drawn, points=points)
    shown_villages = villages_visible_to(user).filter(programme=programme)
    if state:
        shown_villages = shown_villages.filter(municipality__parent__code=state)
    village_points = [
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
            charts.explorer_figure(
                drawn,
                geo.geojson_url("states", country=country)
                if points
                else geo.geojson_url("municipalities", state),
                layers[0],
                villages=village_points,
                country=country,
                state=state,
            )
        )
        if has_map
        else None,
        "layers": layers if has_map else None,
        "has_classification": any(r.has_classification for r in rows),
        "candidates": candidates,
        "can_propose": manages(user, programme.id),
        "card_url_template": reverse("workspace:municipality_card", args=["00000"])
        + f"?country={country}",
        "unmapped": len(rows) - len(drawn),
        "municipality_count": len(rows),
        # Keyboard and screen-reader users pick a municipality here instead of on the map.
        "municipality_choices": [(r.code, r.name) for r in sorted(rows, key=lambda r: r.name)]
        if state
        else None,
    }
    return render(request, "workspace/explorer.html", context)


@login_required
def municipality_card(request, code):
    user = request.user
    require_role(user, OVERVIEW_ROLES)
    # Codes are unique within a country only (Colombia's DANE and Mexico's INEGI both have 05001).
    areas = AdministrativeArea.objects.select_related("parent").filter(
        level=AdministrativeArea.Level.MUNICIPALITY, code=code
    )
    if request.GET.get("country"):
        areas = areas.filter(country__code=request.GET["country"])
    found = list(areas[:2])
    if len(found) != 1:
        raise Http404
    area = found[0]
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
            villages_visible_to(user)
            .filter(municipality=area)
            .select_related("programme")
            .order_by("name")
        ),
        "organisations": list(
            organisations_visible_to(user).filter(municipality=area).order_by("name")
        ),
        "msmes": enterprises_visible_to(user).filter(municipality=area).count(),
    }
    template = (
        "workspace/partials/municipality_card.html"
        if request.htmx
        else "workspace/municipality.html"
    )
    return render(request, template, context)


def _propose_context(form, area):
    return {"form": form, "area": area}


@login_required
def propose(request):
    """Managers propose a municipality as a candidate village (GET: the form; POST: propose)."""
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    programme = changeable_or_404(
        programmes_visible_to(user), programmes_managed_by(user), slug=data.get("programme", "")
    )
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
        "workspace/partials/propose_form.html"
        if request.htmx
        else "workspace/propose.html"
    )
    if request.method != "POST":
        if area is None:
            raise Http404
        form = ProposeVillageForm(
            country=programme.country,
            initial={
                "programme": programme.slug,
                "municipality": area.code,
                "name": area.name,
                "speciality": request.GET.get("speciality", ""),
            }
        )
        return render(request, template, _propose_context(form, area))
    form = ProposeVillageForm(request.POST, country=programme.country)
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
            url = reverse("workspace:village", args=[village.slug])
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    return render(request, template, _propose_context(form, area), status=400)
