"""Writes to territory reference data: the packaged countries and any country's CSV + GeoJSON."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from aldea.territories.models import AdministrativeArea, Country

DATA_DIR = Path(__file__).resolve().parent / "data"
MEXICO_MUNICIPALITIES_FILE = DATA_DIR / "mexico_municipalities_2020.csv.gz"
MEXICO_SOURCE = "INEGI Censo 2020; CONAPO IMM 2020"
BRAZIL_MUNICIPALITIES_FILE = DATA_DIR / "brazil_municipalities_2022.csv.gz"
BRAZIL_SOURCE = "IBGE Prévia da população, Censo 2022; seats: kelvins/municipios-brasileiros"

# The fields that reference data owns; anything else on an area (none today) is left alone.
_AREA_FIELDS = ["name", "parent", "population", "households", "marginalisation_index",
                "marginalisation_degree", "source", "latitude", "longitude"]


@dataclass(frozen=True)
class _AreaRow:
    code: str
    name: str
    population: int | None
    households: int | None
    marginalisation_index: float | None
    marginalisation_degree: str
    parent_code: str | None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


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
                parents: dict[str, AdministrativeArea],
                source: str = MEXICO_SOURCE) -> tuple[dict[str, AdministrativeArea], int, int]:
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
            "source": source,
            "latitude": row.latitude,
            "longitude": row.longitude,
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


# --- Any country: a municipalities CSV and a GeoJSON of its states ---------------------------

#: Columns of a territory CSV (docs/data-contracts.md, "Territories"); the first four required.
REFERENCE_COLUMNS = (
    ("state_code", "state_name", "municipality_code", "municipality_name"),
    ("population", "households", "latitude", "longitude", "marginalisation_index",
     "marginalisation_degree"),
)
_DEGREES = {choice for choice, _ in AdministrativeArea._meta.get_field("marginalisation_degree").choices}
PACKAGED = {
    "MX": {"name": "México", "currency": "MXN", "file": MEXICO_MUNICIPALITIES_FILE,
           "source": MEXICO_SOURCE, "states_geojson": "mexico_states.geojson"},
    "BR": {"name": "Brasil", "currency": "BRL", "file": BRAZIL_MUNICIPALITIES_FILE,
           "source": BRAZIL_SOURCE, "states_geojson": "brazil_states.geojson"},
}


class TerritoryFileError(ValueError):
    """A territory CSV or GeoJSON is malformed; ``problems`` lists each line and reason."""

    def __init__(self, path, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        super().__init__(f"{path}: {shown}")


def read_reference_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a territory CSV (UTF-8, optionally gzipped, comma-separated), checked.

    Raises TerritoryFileError naming the line and column of every bad value: a missing
    required column or value, a number that is not one, a coordinate out of range, a
    municipality code that repeats or a state whose name changes between rows.
    """
    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in REFERENCE_COLUMNS[0] if c not in header]
        if missing:
            raise TerritoryFileError(path, [f"missing required column(s): {', '.join(missing)}"])
        rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    problems, seen, state_names = [], {}, {}
    for line, row in enumerate(rows, start=2):
        for column in REFERENCE_COLUMNS[0]:
            if not row.get(column):
                problems.append(f"line {line}: {column} is empty")
        for column, low, high in (("population", 0, None), ("households", 0, None),
                                  ("latitude", -90, 90), ("longitude", -180, 180),
                                  ("marginalisation_index", None, None)):
            value = row.get(column, "")
            if not value:
                continue
            try:
                number = float(value)
            except ValueError:
                problems.append(f"line {line}: {column} {value!r} is not a number")
                continue
            if (low is not None and number < low) or (high is not None and number > high):
                problems.append(f"line {line}: {column} {value} is out of range")
            elif column in ("population", "households") and not number.is_integer():
                problems.append(f"line {line}: {column} {value} is not a whole number")
        if bool(row.get("latitude")) != bool(row.get("longitude")):
            problems.append(f"line {line}: latitude and longitude go together")
        degree = row.get("marginalisation_degree", "")
        if degree and degree not in _DEGREES:
            problems.append(f"line {line}: marginalisation_degree {degree!r} is not one of "
                            f"{', '.join(sorted(_DEGREES))}")
        code = row.get("municipality_code")
        if code in seen:
            problems.append(f"line {line}: municipality_code {code} repeats line {seen[code]}")
        seen.setdefault(code, line)
        state = row.get("state_code")
        if state and state_names.setdefault(state, row.get("state_name")) != row.get("state_name"):
            problems.append(f"line {line}: state {state} is named {row.get('state_name')!r}, "
                            f"elsewhere {state_names[state]!r}")
    if problems:
        raise TerritoryFileError(path, problems)
    return rows


def _reference_area_rows(rows: list[dict[str, str]]) -> tuple[list[_AreaRow], list[_AreaRow]]:
    def integer(value):
        return int(float(value)) if value else None

    def point(value):
        return Decimal(value).quantize(Decimal("0.000001")) if value else None

    states: dict[str, dict] = {}
    municipalities = []
    for row in rows:
        state = states.setdefault(row["state_code"], {"name": row["state_name"], "population": 0,
                                                      "households": 0, "complete": [True, True]})
        population, households = integer(row.get("population")), integer(row.get("households"))
        for i, value in enumerate((population, households)):
            if value is None:
                state["complete"][i] = False
        state["population"] += population or 0
        state["households"] += households or 0
        index = row.get("marginalisation_index")
        municipalities.append(_AreaRow(
            code=row["municipality_code"], name=row["municipality_name"], population=population,
            households=households, marginalisation_index=float(index) if index else None,
            marginalisation_degree=row.get("marginalisation_degree", ""), parent_code=row["state_code"],
            latitude=point(row.get("latitude")), longitude=point(row.get("longitude")),
        ))
    # A state's total is given only when every one of its municipalities has the figure.
    state_rows = [
        _AreaRow(code=code, name=s["name"], population=s["population"] if s["complete"][0] else None,
                 households=s["households"] if s["complete"][1] else None,
                 marginalisation_index=None, marginalisation_degree="", parent_code=None)
        for code, s in sorted(states.items())
    ]
    return state_rows, municipalities


@transaction.atomic
def load_country_reference(*, country_code: str, country_name: str, currency: str,
                           rows: list[dict[str, str]], source: str) -> dict[str, int]:
    """Create or update a country, its states and municipalities from checked CSV rows.

    Same guarantees as :func:`load_mexico_reference`: idempotent, matched on official codes,
    nothing deleted. Returns the same counts.
    """
    country, created = Country.objects.get_or_create(
        code=country_code, defaults={"name": country_name, "currency": currency})
    state_rows, municipality_rows = _reference_area_rows(rows)
    states, s_created, s_updated = _sync_level(country, AdministrativeArea.Level.STATE, state_rows, {}, source)
    municipalities, m_created, m_updated = _sync_level(
        country, AdministrativeArea.Level.MUNICIPALITY, municipality_rows, states, source)
    return {"country_created": int(created), "states_created": s_created, "states_updated": s_updated,
            "municipalities_created": m_created, "municipalities_updated": m_updated,
            "states": len(states), "municipalities": len(municipalities)}


def load_brazil_reference() -> dict[str, int]:
    """Brazil, its 27 federative units and 5,570 municipalities (IBGE 2022; see ATTRIBUTION.txt)."""
    shipped = PACKAGED["BR"]
    return load_country_reference(country_code="BR", country_name=shipped["name"],
                                  currency=shipped["currency"], rows=read_reference_csv(shipped["file"]),
                                  source=shipped["source"])


def geometry_dir() -> Path:
    """Where loaded countries' GeoJSON files are kept: ``$ALDEA_DATA_DIR/territories``."""
    from django.conf import settings

    return Path(settings.DATA_DIR) / "territories"


def states_geometry_file(country_code: str) -> Path | None:
    """The GeoJSON of a country's states: packaged (MX, BR) or installed by the loader."""
    if country_code in PACKAGED:
        return DATA_DIR / PACKAGED[country_code]["states_geojson"]
    installed = geometry_dir() / f"{country_code.lower()}_states.geojson"
    return installed if installed.exists() else None


def install_states_geometry(*, country_code: str, geojson: Path, code_property: str,
                            state_codes: set[str], dry_run: bool = False) -> dict[str, int]:
    """Check a GeoJSON of states against the states of the CSV and keep a copy.

    Every feature needs a polygon and ``code_property`` equal to a state code of the CSV
    (numbers are compared zero-padded to the codes' width: ``9`` matches ``"09"``). The
    file is written as ``<code>_states.geojson`` with ``state_code`` added to each feature.
    Raises TerritoryFileError listing each bad feature and each state without geometry.
    """
    import json

    try:
        data = json.loads(Path(geojson).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TerritoryFileError(geojson, [f"not a readable GeoJSON file ({exc})"]) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise TerritoryFileError(geojson, ["not a GeoJSON FeatureCollection"])
    width = max((len(c) for c in state_codes), default=0)
    problems, found = [], set()
    for i, feature in enumerate(features):
        props = feature.get("properties") or {}
        raw = props.get(code_property)
        code = str(raw).strip() if raw is not None else ""
        if code.isdigit():
            code = code.zfill(width)
        geometry = (feature.get("geometry") or {}).get("type")
        if geometry not in ("Polygon", "MultiPolygon"):
            problems.append(f"feature {i}: geometry is {geometry!r}, not a polygon")
        if code not in state_codes:
            problems.append(f"feature {i}: {code_property} {raw!r} is not a state code of the CSV")
        else:
            props["state_code"] = code
            feature["properties"] = props
            found.add(code)
    for code in sorted(state_codes - found):
        problems.append(f"state {code} has no feature")
    if problems:
        raise TerritoryFileError(geojson, problems)
    if not dry_run:
        target = geometry_dir() / f"{country_code.lower()}_states.geojson"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {"features": len(features)}
