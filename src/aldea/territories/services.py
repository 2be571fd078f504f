"""Writes to territory reference data."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from aldea.territories.models import AdministrativeArea, Country

DATA_DIR = Path(__file__).resolve().parent / "data"
MEXICO_MUNICIPALITIES_FILE = DATA_DIR / "mexico_municipalities_2020.csv.gz"
MEXICO_SOURCE = "INEGI Censo 2020; CONAPO IMM 2020"

# The fields that reference data owns; anything else on an area (none today) is left alone.
_AREA_FIELDS = ["name", "parent", "population", "households", "marginalisation_index",
                "marginalisation_degree", "source"]


@dataclass(frozen=True)
class _AreaRow:
    code: str
    name: str
    population: int
    households: int
    marginalisation_index: float | None
    marginalisation_degree: str
    parent_code: str | None


def read_mexico_reference(path: Path = MEXICO_MUNICIPALITIES_FILE) -> list[dict[str, str]]:
    """The packaged rows (see data/ATTRIBUTION.txt), as strings, sorted by municipality code."""
    with gzip.open(path, "rb") as handle:
        return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8", newline="")))


def _mexico_area_rows(rows: list[dict[str, str]]) -> tuple[list[_AreaRow], list[_AreaRow]]:
    states: dict[str, dict] = {}
    municipalities = []
    for row in rows:
        state = states.setdefault(
            row["state_code"], {"name": row["state_name"], "population": 0, "households": 0}
        )
        state["population"] += int(row["population"])
        state["households"] += int(row["households"])
        municipalities.append(
            _AreaRow(
                code=row["municipality_code"],
                name=row["municipality_name"],
                population=int(row["population"]),
                households=int(row["households"]),
                marginalisation_index=float(row["marginalisation_index"]),
                marginalisation_degree=row["marginalisation_degree"],
                parent_code=row["state_code"],
            )
        )
    # CONAPO publishes a separate state-level index; it is not derived from municipal ones, so
    # states carry census totals only.
    state_rows = [
        _AreaRow(code=code, name=s["name"], population=s["population"], households=s["households"],
                 marginalisation_index=None, marginalisation_degree="", parent_code=None)
        for code, s in sorted(states.items())
    ]
    return state_rows, municipalities


def _sync_level(country: Country, level: str, rows: list[_AreaRow],
                parents: dict[str, AdministrativeArea]) -> tuple[dict[str, AdministrativeArea], int, int]:
    existing = {a.code: a for a in AdministrativeArea.objects.filter(country=country, level=level)}
    to_create, to_update = [], []
    for row in rows:
        values = {
            "name": row.name,
            "parent": parents[row.parent_code] if row.parent_code else None,
            "population": row.population,
            "households": row.households,
            "marginalisation_index": row.marginalisation_index,
            "marginalisation_degree": row.marginalisation_degree,
            "source": MEXICO_SOURCE,
        }
        area = existing.get(row.code)
        if area is None:
            to_create.append(AdministrativeArea(country=country, level=level, code=row.code, **values))
            continue
        changed = False
        for field, value in values.items():
            current = area.parent_id if field == "parent" else getattr(area, field)
            wanted = value.pk if field == "parent" and value is not None else value
            if current != wanted:
                setattr(area, field, value)
                changed = True
        if changed:
            to_update.append(area)
    AdministrativeArea.objects.bulk_create(to_create, batch_size=500)
    AdministrativeArea.objects.bulk_update(to_update, _AREA_FIELDS, batch_size=500)
    if to_create:
        # bulk_create sets primary keys on PostgreSQL and SQLite 3.35+, but re-reading keeps the
        # result correct on any backend.
        existing = {a.code: a for a in AdministrativeArea.objects.filter(country=country, level=level)}
    return existing, len(to_create), len(to_update)


@transaction.atomic
def load_mexico_reference() -> dict[str, int]:
    """Create or update Mexico, its 32 states and its 2,469 municipalities of the 2020 census.

    Idempotent: a second call finds nothing to change and reports zero created and updated.
    Rows are matched on (country, level, official code), so ids of existing areas and everything
    that points at them survive a reload. Areas not in the file are never deleted.

    Returns counts: ``country_created`` (0 or 1), ``states_created``, ``states_updated``,
    ``municipalities_created``, ``municipalities_updated``, and the totals ``states`` and
    ``municipalities`` now in the database for Mexico.
    """
    country, country_created = Country.objects.get_or_create(
        code="MX", defaults={"name": "México", "currency": "MXN"}
    )
    state_rows, municipality_rows = _mexico_area_rows(read_mexico_reference())
    states, states_created, states_updated = _sync_level(
        country, AdministrativeArea.Level.STATE, state_rows, {}
    )
    municipalities, m_created, m_updated = _sync_level(
        country, AdministrativeArea.Level.MUNICIPALITY, municipality_rows, states
    )
    return {
        "country_created": int(country_created),
        "states_created": states_created,
        "states_updated": states_updated,
        "municipalities_created": m_created,
        "municipalities_updated": m_updated,
        "states": len(states),
        "municipalities": len(municipalities),
    }


def is_mexico_reference_loaded() -> bool:
    """True when every municipality of the packaged file is in the database."""
    return AdministrativeArea.objects.filter(
        country__code="MX", level=AdministrativeArea.Level.MUNICIPALITY
    ).count() >= len(read_mexico_reference())
