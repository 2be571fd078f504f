"""Setting up a programme from the web: the programme wizard, its targets, its villages."""

import datetime
import functools
import unicodedata
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aldea.core.access import changeable_or_404, is_global, visible_or_404
from aldea.core.exceptions import DomainError
from aldea.core.numbers import parse_number
from aldea.programmes.models import Programme
from aldea.programmes.proposals import propose_village
from aldea.programmes.queries import programmes_managed_by, programmes_visible_to
from aldea.programmes.services import create_programme, set_targets
from aldea.reporting.indicators.templates import apply_template, templates
from aldea.territories.models import AdministrativeArea, Country
from aldea.workspace.forms import ProgrammeForm, VillageForm

SEARCH_RESULTS = 12


def _language() -> str:
    return (get_language() or "es")[:2]


@login_required
def programme_new(request):
    """The programme wizard (staff): name, country, currency, dates and a template of indicators."""
    if not is_global(request.user):
        raise PermissionDenied
    choices = [(t.code, t.name(_language())) for t in templates().values()]
    form = ProgrammeForm(request.POST or None, countries=Country.objects.order_by("name"), templates=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                programme = create_programme(
                    user=request.user, name=data["name"], slug=data["slug"], country=data["country"],
                    currency=data["currency"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                    description=data["description"],
                )
                if data["template"]:
                    apply_template(programme, data["template"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Programme %(name)s created. Now set its targets.") % {"name": programme.name})
            return redirect("workspace:targets", slug=programme.slug)
    return render(request, "workspace/programme_new.html", {"form": form, "has_countries": Country.objects.exists()},
                  status=400 if form.errors else 200)


def _managed_programme(user, slug) -> Programme:
    return changeable_or_404(programmes_visible_to(user).select_related("country"), programmes_managed_by(user),
                             slug=slug)


def programme_years(programme: Programme) -> list[int]:
    """The calendar years a programme's yearly targets cover (three when it has no end date)."""
    last = programme.ends_on.year if programme.ends_on else programme.starts_on.year + 2
    return list(range(programme.starts_on.year, last + 1))


def _year_period(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _parse_target(raw: str):
    """A target typed in a cell ('1.500', '1,500', '12,5' in the user's locale); None when empty."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = parse_number(raw)
    except ValueError:
        raise forms.ValidationError(_("%(value)s is not a number.") % {"value": raw}) from None
    if value < 0 or value >= Decimal("1e14"):
        raise forms.ValidationError(_("%(value)s is out of range.") % {"value": raw})
    return value


@login_required
def targets(request, slug):
    """Targets per year for the whole programme and for each village, one indicator at a time."""
    programme = _managed_programme(request.user, slug)
    indicators = list(programme.indicators.order_by("position", "code"))
    if not indicators:
        return render(request, "workspace/targets.html", {"programme": programme, "indicators": []})
    code = request.POST.get("indicator") or request.GET.get("indicator") or indicators[0].code
    indicator = next((i for i in indicators if i.code == code), indicators[0])
    villages = list(programme.villages.order_by("name"))
    years = programme_years(programme)
    existing = {(t.village_id, t.period_start, t.period_end): t.target for t in indicator.targets.all()}
    cells = [("p", None, None)] + [(f"v{v.pk}", v, v.pk) for v in villages]
    errors = {}
    if request.method == "POST":
        rows = []
        for prefix, village, _village_id in cells:
            for year in years:
                name = f"{prefix}-{year}"
                try:
                    value = _parse_target(request.POST.get(name, ""))
                except forms.ValidationError as error:
                    errors[name] = error.messages[0]
                    continue
                rows.append((village, *_year_period(year), value, None))
        if not errors:
            set_targets(indicator=indicator, rows=rows)
            messages.success(request, _("Targets of %(indicator)s saved.") % {"indicator": indicator.name})
            return redirect(f"{reverse('workspace:targets', args=[programme.slug])}?indicator={indicator.code}")
    grid = []
    for prefix, village, village_id in cells:
        grid.append({
            "label": village.name if village else _("Whole programme"),
            "cells": [{
                "name": f"{prefix}-{year}", "year": year,
                "value": request.POST.get(f"{prefix}-{year}") if request.method == "POST"
                else existing.get((village_id, *_year_period(year)), ""),
                "error": errors.get(f"{prefix}-{year}"),
            } for year in years],
        })
    yearly = {(v, *_year_period(y)) for _p, _v, v in cells for y in years}
    other_periods = [
        {"village": t.village, "start": t.period_start, "end": t.period_end, "target": t.target}
        for t in indicator.targets.select_related("village").order_by("period_start")
        if (t.village_id, t.period_start, t.period_end) not in yearly
    ]
    context = {"programme": programme, "indicators": indicators, "indicator": indicator, "years": years,
               "grid": grid, "other_periods": other_periods, "errors": errors}
    return render(request, "workspace/targets.html", context, status=400 if errors else 200)


def _normalised(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=8)
def _municipalities_of(country_id: int) -> tuple:
    """(code, name, state, normalised name) of a country's municipalities; reference data, read
    once per process."""
    rows = AdministrativeArea.objects.filter(country_id=country_id, level=AdministrativeArea.Level.MUNICIPALITY)
    return tuple(
        (code, name, state or "", _normalised(name))
        for code, name, state in rows.values_list("code", "name", "parent__name").order_by("name")
    )


def find_municipalities(country_id: int, query: str, *, limit: int = SEARCH_RESULTS) -> list[dict]:
    """Municipalities whose name holds every word of ``query``, accents and case aside; names that
    start with the query first."""
    words = _normalised(query).split()
    if not words:
        return []
    found = [row for row in _municipalities_of(country_id) if all(w in row[3] for w in words)]
    found.sort(key=lambda row: (not row[3].startswith(words[0]), row[1]))
    return [{"code": code, "name": name, "state": state} for code, name, state, _n in found[:limit]]


@login_required
@require_GET
def municipality_search(request, slug):
    programme = visible_or_404(programmes_visible_to(request.user), slug=slug)
    matches = find_municipalities(programme.country_id, request.GET.get("q", ""))
    return render(request, "workspace/partials/municipality_options.html", {"matches": matches})


@login_required
def village_new(request, slug):
    """A new candidate village, its municipality found by name."""
    programme = _managed_programme(request.user, slug)
    form = VillageForm(request.POST or None)
    area = None
    if request.method == "POST" and form.is_valid():
        area = AdministrativeArea.objects.filter(
            country_id=programme.country_id, level=AdministrativeArea.Level.MUNICIPALITY,
            code=form.cleaned_data["municipality"],
        ).select_related("parent").first()
        if area is None:
            form.add_error("municipality", _("Choose a municipality from the list."))
        else:
            try:
                with transaction.atomic():
                    village = propose_village(
                        programme=programme, municipality=area, name=form.cleaned_data["name"],
                        speciality=form.cleaned_data["speciality"], note=form.cleaned_data["note"], user=request.user,
                    )
                    village.target_msmes = form.cleaned_data["target_msmes"]
                    village.save(update_fields=["target_msmes"])
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(name)s is now a candidate village.") % {"name": village.name})
                return redirect("workspace:village", slug=village.slug)
    return render(request, "workspace/village_new.html", {"programme": programme, "form": form, "area": area},
                  status=400 if form.errors else 200)
