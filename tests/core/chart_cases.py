"""Every chart of the pages, built from fixed numbers: the cases tests/core/test_chart_figures.py
compares with the figures Plotly's Python package wrote for the same numbers (frozen in
tests/core/data/chart_figures.json before the charts were written as plain dicts)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from aldea.diagnostics.figures import maturity_radar
from aldea.enterprises.models import Enterprise
from aldea.programmes.models import Village, VillageStatus
from aldea.territories.models import AdministrativeArea
from aldea.workspace.charts import msme, programme, territory
from aldea.workspace.figures.overview import MonthlySales
from aldea.workspace.figures.territory import MunicipalityRow

P, C = Enterprise.Group.PARTICIPANT, Enterprise.Group.COMPARISON
MONTHS = [datetime.date(2025, m, 1) for m in (1, 2, 3)]


def _sales(comparison: bool = True) -> MonthlySales:
    totals = {P: [Decimal("1200.50"), Decimal(0), Decimal(3100)]}
    reporting = {P: [3, 0, 4]}
    if comparison:
        totals[C] = [Decimal(800), Decimal("950.25"), Decimal(0)]
        reporting[C] = [2, 2, 0]
    return MonthlySales(months=list(MONTHS), totals=totals, reporting=reporting)


def _villages() -> list[Village]:
    seat = AdministrativeArea(code="20067", name="Oaxaca de Juárez", latitude=Decimal("17.0606"),
                              longitude=Decimal("-96.7253"))
    no_seat = AdministrativeArea(code="20068", name="Ocotlán", latitude=None, longitude=None)
    villages = [
        Village(name="Teotitlán", municipality=seat, status=VillageStatus.ACTIVE),
        Village(name="San Bartolo <b>", municipality=no_seat, status=VillageStatus.SELECTED),
        Village(name="Arrazola", municipality=seat, status=VillageStatus.ACTIVE),
    ]
    for village, msmes in zip(villages, (12, 0, 140), strict=True):
        village.msmes = msmes
    return villages


def _rows(points: bool) -> list[MunicipalityRow]:
    state = "29" if points else "20"
    return [
        MunicipalityRow(id=1, code=f"{state}001", name="Uno", state_code=state, state_name="Estado",
                        population=1000, households=250, marginalisation_index=0.5,
                        marginalisation_degree="alto", latitude=-5.1, longitude=-42.8,
                        active_shops=3, qualifies=True, has_classification=True),
        MunicipalityRow(id=2, code=f"{state}002", name="Dos & tres", state_code=state,
                        state_name="Estado", population=None, households=None,
                        marginalisation_index=None, marginalisation_degree="",
                        latitude=-5.3, longitude=-43.0),
    ]


def _explorer(points: bool, layer: int, villages: bool, state: str = ""):
    rows = _rows(points)
    layers = territory.explorer_layers(rows, points=points)
    return territory.explorer_figure(
        rows, "/geo/states.geojson?v=1" if points else "/geo/municipalities.geojson?v=1",
        layers[layer], [("Teotitlán", -96.48, 17.03)] if villages else [],
        country="BR" if points else "MX", state=state,
    )


EVENT_STUDY = [
    {"event_time": -2, "att": 10.0, "ci_low": -5.0, "ci_high": 25.0},
    {"event_time": -1, "att": None, "ci_low": None, "ci_high": None},
    {"event_time": 0, "att": 150.5, "ci_low": None, "ci_high": None},
    {"event_time": 1, "att": 320.0, "ci_low": 100.0, "ci_high": 540.25},
]
LABELS = {"sales": "Ventas en línea y comercio electrónico", "marketing": "Marketing", "ops": "Operación"}

CASES = {
    "cascade": lambda: programme.cascade_figure([("Trained", 40), ("Shops", 22), ("Selling", 9)]),
    "sales": lambda: programme.sales_figure(_sales(), "MXN"),
    "sales participants only": lambda: programme.sales_figure(_sales(comparison=False), "BRL"),
    "village map": lambda: programme.village_map_figure(_villages(), "/geo/states.geojson?v=1"),
    "village map Brazil": lambda: programme.village_map_figure([], "/geo/br.geojson?v=2", country="BR"),
    "lorenz": lambda: programme.lorenz_figure([(0, 0), (0.5, 0.2), (0.75, None), (1, 1)]),
    "event study": lambda: programme.event_study_figure(EVENT_STUDY, "MXN"),
    "event study no unit": lambda: programme.event_study_figure(EVENT_STUDY[:1], ""),
    "village sales": lambda: programme.village_sales_figure(_sales(), "MXN"),
    "maturity": lambda: msme.maturity_figure([
        {"assessed_on": datetime.date(2025, 1, 10), "score": Decimal("41.5"), "level_label": "Básico"},
        {"assessed_on": datetime.date(2025, 6, 2), "score": 63, "level_label": "Intermedio"},
    ]),
    "outcomes": lambda: msme.outcomes_figure([
        type("O", (), {"month": m, "total_sales": Decimal(t), "online_sales": Decimal(o)})()
        for m, t, o in zip(MONTHS[::-1], ("900", "1000.5", "1200"), ("100", "0", "450.75"), strict=True)
    ], "MXN"),
    "radar": lambda: maturity_radar(LABELS, {"sales": 55.5, "marketing": 30, "ops": 80}),
    "radar with previous": lambda: maturity_radar(
        LABELS, {"sales": 55.5, "marketing": 30}, {"sales": 40, "marketing": 35, "ops": 60},
        current_name="2025-06", previous_name="2025-01"),
    "radar empty": lambda: maturity_radar({}, {}),
    "explorer marginalisation": lambda: _explorer(False, 0, villages=True),
    "explorer ecommerce": lambda: _explorer(False, 1, villages=False),
    "explorer classification": lambda: _explorer(False, 2, villages=False),
    "explorer points": lambda: _explorer(True, 0, villages=False),
    "explorer points one state": lambda: _explorer(True, 1, villages=True, state="29"),
}
