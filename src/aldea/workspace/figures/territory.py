"""The territory explorer's figures: municipalities with their census, marginalisation and
e-commerce figures, the states of a country, and ranked candidate communities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from aldea.enterprises.models import Sector
from aldea.reporting.clusters import DEFAULT_PROFILE
from aldea.territories.models import (
    AdministrativeArea,
    ClusterClassification,
    MarginalisationDegree,
)

# CONAPO's degrees in order, lowest need first.
DEGREE_ORDER = [d.value for d in MarginalisationDegree]


@dataclass
class MunicipalityRow:
    id: int
    code: str
    name: str
    state_code: str
    state_name: str
    population: int | None
    households: int | None
    marginalisation_index: float | None
    marginalisation_degree: str
    latitude: float | None = None
    longitude: float | None = None
    active_shops: int = 0
    turnover_cny: float = 0.0
    qualifies: bool = False
    has_classification: bool = False

    @property
    def shops_per_1000_households(self) -> float | None:
        """E-commerce intensity: active online shops per 1,000 inhabited dwellings."""
        if not self.households:
            return None
        return 1000 * self.active_shops / self.households

    @property
    def degree_label(self) -> str:
        return str(dict(MarginalisationDegree.choices).get(self.marginalisation_degree, ""))

    @property
    def degree_number(self) -> int | None:
        """1 (very low) … 5 (very high marginalisation); None when unknown."""
        if self.marginalisation_degree in DEGREE_ORDER:
            return DEGREE_ORDER.index(self.marginalisation_degree) + 1
        return None


def municipality_rows(
    *, country_id: int, state: str = "", profile: str = DEFAULT_PROFILE
) -> list[MunicipalityRow]:
    """Every municipality of the country (or of one state) with its analytics figures. Two queries."""
    areas = AdministrativeArea.objects.filter(
        level=AdministrativeArea.Level.MUNICIPALITY, country_id=country_id
    )
    if state:
        areas = areas.filter(parent__code=state)
    rows = {
        area_id: MunicipalityRow(
            id=area_id,
            code=code,
            name=name,
            state_code=state_code,
            state_name=state_name or "",
            population=population,
            households=households,
            marginalisation_index=index,
            marginalisation_degree=degree or "",
            latitude=None if lat is None else float(lat),
            longitude=None if lon is None else float(lon),
        )
        for area_id, code, name, state_code, state_name, population, households, index, degree, lat, lon in areas.order_by(
            "code"
        ).values_list(
            "id",
            "code",
            "name",
            "parent__code",
            "parent__name",
            "population",
            "households",
            "marginalisation_index",
            "marginalisation_degree",
            "latitude",
            "longitude",
        )
    }
    classified = ClusterClassification.objects.filter(profile=profile, area__in=areas)
    for area_id, shops, turnover, qualifies in classified.values_list(
        "area_id", "active_shops", "turnover_cny", "qualifies"
    ):
        row = rows.get(area_id)
        if row is not None:
            row.active_shops, row.turnover_cny, row.qualifies = shops, float(turnover), qualifies
            row.has_classification = True
    return list(rows.values())


def states_of(country_id: int) -> list[tuple[str, str]]:
    """(code, name) of the country's states, for the filter."""
    return list(
        AdministrativeArea.objects.filter(
            level=AdministrativeArea.Level.STATE, country_id=country_id
        )
        .order_by("name")
        .values_list("code", "name")
    )


@dataclass
class Candidate:
    row: MunicipalityRow
    speciality: str
    msmes: int
    partners_here: int
    partners_in_state: int
    need: float
    ecommerce: float
    presence: float
    score: float


# Weights of the candidate score; need first, as the programme's mandate is to reach the
# municipalities that markets leave behind.
WEIGHTS = {"need": 0.4, "ecommerce": 0.35, "presence": 0.25}


def candidate_communities(
    rows: list[MunicipalityRow],
    *,
    village_area_ids: set[int],
    specialities: dict[int, tuple[str, int]],
    organisations_by_area: dict[int, int],
    organisations_by_state: dict[str, int],
    limit: int = 25,
) -> list[Candidate]:
    """Municipalities without a village of the programme, ranked for a new digital village.

    A municipality is a candidate when it shows any signal (an online shop, an MSME known to the
    platform, or a partner organisation there). Each part of the score is scaled to 0–1 over the
    candidates: *need* = the CONAPO marginalisation index reversed (lower index, more need),
    *e-commerce* = active shops per 1,000 households, *presence* = partner organisations in the
    municipality (counted twice) and in its state. Score = 0.4 need + 0.35 e-commerce + 0.25
    presence. Ties go to the larger population.
    """
    pool = []
    for row in rows:
        if row.id in village_area_ids:
            continue
        speciality, msmes = specialities.get(row.id, ("", 0))
        here = organisations_by_area.get(row.id, 0)
        if not (row.active_shops or msmes or here):
            continue
        pool.append((row, speciality, msmes, here, organisations_by_state.get(row.state_code, 0)))
    if not pool:
        return []
    indices = [r.marginalisation_index for r, *_ in pool if r.marginalisation_index is not None]
    low, high = (min(indices), max(indices)) if indices else (0.0, 0.0)
    max_intensity = max((r.shops_per_1000_households or 0) for r, *_ in pool)
    max_presence = max(2 * here + state for _r, _s, _m, here, state in pool)
    candidates = []
    for row, speciality, msmes, here, in_state in pool:
        if row.marginalisation_index is None or high == low:
            need = 0.0 if row.marginalisation_index is None else 1.0
        else:
            need = (high - row.marginalisation_index) / (high - low)
        ecommerce = (row.shops_per_1000_households or 0) / max_intensity if max_intensity else 0.0
        presence = (2 * here + in_state) / max_presence if max_presence else 0.0
        score = (
            WEIGHTS["need"] * need
            + WEIGHTS["ecommerce"] * ecommerce
            + WEIGHTS["presence"] * presence
        )
        candidates.append(
            Candidate(row, speciality, msmes, here, in_state, need, ecommerce, presence, score)
        )
    candidates.sort(key=lambda c: (-c.score, -(c.row.population or 0), c.row.code))
    return candidates[:limit]


def specialities_by_area(enterprises) -> dict[int, tuple[str, int]]:
    """Municipality id → (most common MSME speciality or sector, number of MSMEs). One query."""
    sectors = dict(Sector.choices)
    best: dict[int, tuple[str, int]] = {}
    totals: dict[int, int] = {}
    grouped = (
        enterprises.values_list("municipality_id", "speciality", "sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    for area_id, speciality, sector, n in grouped:
        totals[area_id] = totals.get(area_id, 0) + n
        label = speciality or str(sectors.get(sector, sector))
        if (
            area_id not in best
            or n > best[area_id][1]
            or (n == best[area_id][1] and label < best[area_id][0])
        ):
            best[area_id] = (label, n)
    return {area_id: (label, totals[area_id]) for area_id, (label, _n) in best.items()}


def organisations_by_place(organisations) -> tuple[dict[int, int], dict[str, int]]:
    """Organisations per municipality id and per state code. One query."""
    by_area: dict[int, int] = {}
    by_state: dict[str, int] = {}
    for area_id, state_code in organisations.filter(municipality__isnull=False).values_list(
        "municipality_id", "municipality__parent__code"
    ):
        by_area[area_id] = by_area.get(area_id, 0) + 1
        if state_code:
            by_state[state_code] = by_state.get(state_code, 0) + 1
    return by_area, by_state
