"""The shipped indicator templates: sets of indicator definitions a programme starts from.

A template is a TOML file in ``library/``. Applying one to a programme creates its indicators (or
updates those with the same codes), named in the programme's language; targets are the
programme's own and are set afterwards.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from aldea.programmes.models import Indicator, Programme
from aldea.reporting.indicators.values import check_definition

LIBRARY = Path(__file__).resolve().parent / "library"
# The language an indicator is named in, by the programme's country (others: English).
LANGUAGE_BY_COUNTRY = {"BR": "pt", "PT": "pt", "AO": "pt", "MZ": "pt"}
SPANISH_SPEAKING = {"MX", "GT", "HN", "SV", "NI", "CR", "PA", "CO", "VE", "EC", "PE", "BO", "CL", "AR", "UY", "PY",
                    "CU", "DO", "ES"}


@dataclass(frozen=True)
class Template:
    code: str
    names: dict
    indicators: tuple

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


@functools.cache
def templates() -> dict[str, Template]:
    """Every shipped template by code; each definition is checked as it is read."""
    found = {}
    for path in sorted(LIBRARY.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data["indicator"]:
            check_definition({k: entry[k] for k in ("numerator", "denominator") if k in entry})
        template = Template(data["template"]["code"], data["template"]["name"], tuple(data["indicator"]))
        found[template.code] = template
    return found


def language_of(programme: Programme) -> str:
    country = programme.country.code if programme.country_id else ""
    if country in SPANISH_SPEAKING:
        return "es"
    return LANGUAGE_BY_COUNTRY.get(country, "en")


@transaction.atomic
def apply_template(programme: Programme, code: str, *, language: str | None = None) -> list[Indicator]:
    """Create (or bring up to date) the template's indicators in ``programme``. Raises KeyError
    for an unknown template."""
    template = templates()[code]
    language = language or language_of(programme)
    indicators = []
    for position, entry in enumerate(template.indicators, start=1):
        unit = programme.currency if entry.get("is_money") else entry.get("unit", "count")
        indicator, _created = Indicator.objects.update_or_create(
            programme=programme, code=entry["code"],
            defaults={
                "name": entry["name"].get(language) or entry["name"]["en"],
                "unit": unit,
                "is_ascending": entry.get("ascending", True),
                "definition": {k: entry[k] for k in ("numerator", "denominator") if k in entry},
                "period_type": entry.get("period_type", Indicator.PeriodType.CUMULATIVE),
                "aggregation": entry.get("aggregation", Indicator.Aggregation.SUM),
                "scale": Decimal(str(entry.get("scale", 1))),
                "is_money": entry.get("is_money", False),
                "is_headline": entry.get("headline", True),
                "position": position,
            },
        )
        indicators.append(indicator)
    return indicators
