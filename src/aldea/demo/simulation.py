"""The behavioural model behind the demo: pure functions of a random generator, no database.

The model is deliberately simple and written down here so that analysts know what the demo
data can and cannot show:

* Baseline monthly sales are lognormal (median by sector, times employees^0.5, times a factor
  for the municipality's marginalisation; sigma 0.9), so a few MSMEs sell far more than most.
* Baseline digital maturity m0 (0-1) is lower in more marginalised municipalities, for older
  owners and for informal businesses. Diagnostic answers are m0 plus noise on a 0-4 scale.
* Engagements move diagnosed → action plan → listing → first online sale → graduated. At every
  step an MSME may drop out: more often with low maturity and high marginalisation, less often
  when the business is women-led (they stay, but gain less; see below).
* After the first online sale, online sales ramp up over six months to a monthly effect equal to
  0.35 × baseline sales × (0.4 + 1.6·m0) × sex × marginalisation × age × lognormal noise, where
  women-led MSMEs get 0.75, marginalisation goes from 1.2 (muy bajo) to 0.45 (muy alto) and owners
  under 35 get 1.3, over 55 get 0.7. Part of it (30%) replaces offline sales.
* Everyone, including the comparison group, drifts online slowly (secular trend), so a naive
  before/after comparison overstates the programme's effect; a comparison group corrects it.

The planted effect is known exactly: every month also records what the programme added to
it (``Month.added_*``: the outcome minus the same month with the programme's term set to zero
and every random draw the same). The generator stores their sums per village and month
(``aldea.demo.models.PlantedEffect``), so the average effect on participants from their
village's launch on (the estimand of ``aldea impact --programme``) can be computed exactly
and compared with the estimate (``aldea.demo.planted``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

MONTHS = 24
PROGRAMME_START = dt.date(2024, 1, 1)
AS_OF = dt.date(2025, 12, 31)  # the demo's "today": nothing happens after it

MEDIAN_MONTHLY_SALES = {"crafts": 14_000, "textiles": 18_000, "food": 26_000}  # MXN
SALES_BY_DEGREE = {"muy_bajo": 1.3, "bajo": 1.1, "medio": 1.0, "alto": 0.8, "muy_alto": 0.65}
MATURITY_BY_DEGREE = {"muy_bajo": 0.38, "bajo": 0.33, "medio": 0.28, "alto": 0.23, "muy_alto": 0.17}
EFFECT_BY_DEGREE = {"muy_bajo": 1.2, "bajo": 1.0, "medio": 0.85, "alto": 0.65, "muy_alto": 0.45}
DROP_BY_DEGREE = {"muy_bajo": 0.8, "bajo": 0.9, "medio": 1.0, "alto": 1.3, "muy_alto": 1.6}
WOMEN_LED_EFFECT = 0.75
WOMEN_LED_DROP = 0.75
BASE_EFFECT = 0.35
# Calendar seasonality of sales (Día de Muertos, Buen Fin and Christmas at the end of the year).
SEASON = (0.8, 0.85, 0.95, 1.0, 1.0, 0.9, 1.05, 0.95, 0.95, 1.0, 1.2, 1.35)
DIMENSION_OFFSET = {"estrategia": 0.0, "preparacion": 0.05, "personas": 0.02, "datos": -0.05,
                    "automatizacion": -0.14, "verde": -0.03}

# Forward stages with the base probability of dropping out before reaching the next one and the
# days the step takes (min, max).
STEPS = (
    ("action_plan", 0.06, (10, 35)),
    ("listing", 0.10, (20, 60)),
    ("first_sale", 0.10, (10, 90)),
    ("graduated", 0.08, (120, 260)),
)
# Share of MSMEs that stall at a stage (neither advance nor drop within the programme).
STALL = {"action_plan": 0.04, "listing": 0.06, "first_sale": 0.18, "graduated": 0.25}


def month_start(index: int) -> dt.date:
    """First day of month ``index`` of the programme (0 = January 2024)."""
    return dt.date(PROGRAMME_START.year + index // 12, index % 12 + 1, 1)


def month_index(day: dt.date) -> int:
    return (day.year - PROGRAMME_START.year) * 12 + day.month - 1


def clip(value: float, low: float, high: float) -> float:
    return low if value < low else min(value, high)


@dataclass
class Owner:
    sex: str
    birth_year: int
    speaks_indigenous_language: bool
    has_contact_consent: bool

    @property
    def age(self) -> int:
        return PROGRAMME_START.year - self.birth_year


def draw_owner(rng: random.Random, *, female_share: float, indigenous_share: float) -> Owner:
    sex = "female" if rng.random() < female_share else "male"
    if rng.random() < 0.01:
        sex = "undisclosed"
    age = int(clip(rng.gauss(44, 12), 18, 80))
    # Older people speak the indigenous language more often (census pattern).
    speaks = rng.random() < clip(indigenous_share * (1.3 if age >= 50 else 0.85), 0, 0.95)
    return Owner(sex=sex, birth_year=PROGRAMME_START.year - age, speaks_indigenous_language=speaks,
                 has_contact_consent=rng.random() < 0.72)


@dataclass
class Business:
    """What the generator needs to know about one MSME to simulate it."""

    sector: str
    degree: str
    owner: Owner
    is_women_led: bool
    formal_status: str
    employees: int
    maturity: float  # baseline, 0-1
    baseline_sales: float  # MXN per month, before seasonality
    baseline_online_share: float
    baseline_channels: list[str] = field(default_factory=list)


def draw_business(rng: random.Random, *, sector: str, degree: str, owner: Owner) -> Business:
    is_women_led = owner.sex == "female" or (owner.sex != "female" and rng.random() < 0.05)
    age_term = -0.004 * (owner.age - 44)
    maturity = clip(MATURITY_BY_DEGREE[degree] + age_term + rng.gauss(0, 0.11), 0.02, 0.92)
    formal_roll = rng.random() - 0.4 * (maturity - 0.3)
    if formal_roll < 0.10:
        formal_status = "cooperative" if sector == "textiles" and rng.random() < 0.5 else "company"
    elif formal_roll < 0.45:
        formal_status = "individual"
    else:
        formal_status = "informal"
    employees = 1 + int(rng.expovariate(1 / (1.2 if formal_status == "informal" else 3.5)))
    employees = min(employees, 60)
    if formal_status == "cooperative":
        employees = max(employees, 5)
    median = MEDIAN_MONTHLY_SALES[sector] * SALES_BY_DEGREE[degree] * math.sqrt(employees)
    baseline_sales = median * math.exp(rng.gauss(0, 0.9))
    channels = ["physical"]
    if rng.random() < clip(0.2 + 1.2 * maturity, 0, 0.95):
        channels.append("social")
    if rng.random() < 0.3 * maturity:
        channels.append("marketplace")
    if rng.random() < 0.2:
        channels.append("b2b")
    online_share = 0.0
    if "social" in channels or "marketplace" in channels:
        online_share = clip(maturity * 0.12 * rng.uniform(0.3, 1.5), 0, 0.4)
    return Business(sector=sector, degree=degree, owner=owner, is_women_led=is_women_led,
                    formal_status=formal_status, employees=employees, maturity=maturity,
                    baseline_sales=baseline_sales, baseline_online_share=online_share,
                    baseline_channels=channels)


def draw_answers(rng: random.Random, maturity: float, questions: list[tuple[str, str]]) -> dict[str, int]:
    """Answers 0-4 to (dimension code, question code) pairs for a business of this maturity."""
    answers = {}
    for dimension, question in questions:
        level = maturity + DIMENSION_OFFSET.get(dimension, 0.0) + rng.gauss(0, 0.12)
        answers[question] = round(clip(level, 0, 1) * 4)
    return answers


@dataclass
class Path:
    """An engagement's history: (stage, date) in order, and a drop reason if it was dropped."""

    stages: list[tuple[str, dt.date]]
    drop_reason: str = ""

    @property
    def stage(self) -> str:
        return self.stages[-1][0]

    def reached(self, stage: str) -> dt.date | None:
        for name, day in self.stages:
            if name == stage:
                return day
        return None

    @property
    def closed_on(self) -> dt.date | None:
        return self.stages[-1][1] if self.stage in ("dropped", "graduated") else None


def draw_path(rng: random.Random, business: Business, started_on: dt.date,
              drop_reasons: tuple[tuple[str, int], ...]) -> Path:
    stages = [("diagnosed", started_on)]
    day = started_on
    drop_factor = DROP_BY_DEGREE[business.degree] * (1.5 - business.maturity)
    if business.is_women_led:
        drop_factor *= WOMEN_LED_DROP
    for stage, drop, (low, high) in STEPS:
        day = day + dt.timedelta(days=rng.randint(low, high))
        if day > AS_OF:
            break
        if rng.random() < drop * drop_factor:
            stages.append(("dropped", day))
            return Path(stages, _drop_reason(rng, business, drop_reasons))
        if rng.random() < STALL[stage] * (1.6 - business.maturity):
            break
        stages.append((stage, day))
    return Path(stages)


def _drop_reason(rng: random.Random, business: Business, reasons: tuple[tuple[str, int], ...]) -> str:
    weights = []
    for text, weight in reasons:
        if "cuidados" in text and business.is_women_led:
            weight *= 3
        if "internet" in text and business.degree in ("alto", "muy_alto"):
            weight *= 3
        if "RFC" in text and business.formal_status != "informal":
            weight = 0
        weights.append(weight)
    return rng.choices([text for text, _ in reasons], weights=weights)[0]


@dataclass
class Month:
    month: dt.date
    total_cents: int
    online_cents: int
    orders: int
    units: int
    employees: int
    export_markets: int
    source: str
    # What the programme added this month (0 without it): online and total sales in cents, jobs.
    added_online_cents: int = 0
    added_total_cents: int = 0
    added_jobs: int = 0


def programme_effect(rng: random.Random, business: Business) -> float:
    """Full-ramp monthly online sales added by the programme, as a share of baseline sales."""
    age = business.owner.age
    age_factor = 1.3 if age < 35 else 0.7 if age >= 55 else 1.0
    sex_factor = WOMEN_LED_EFFECT if business.is_women_led else 1.0
    return (BASE_EFFECT * (0.4 + 1.6 * business.maturity) * sex_factor * EFFECT_BY_DEGREE[business.degree]
            * age_factor * math.exp(rng.gauss(0, 0.6)))


def draw_months(rng: random.Random, business: Business, *, path: Path | None, average_price: float,
                exports_possible: bool) -> list[Month]:
    """24 monthly records. ``path`` is None for the comparison group."""
    effect = programme_effect(rng, business) if path else 0.0
    first_sale = path.reached("first_sale") if path else None
    dropped = path.reached("dropped") if path else None
    start_index = month_index(first_sale) if first_sale else None
    drop_index = month_index(dropped) if dropped else None
    exporter = exports_possible and effect > 0.45 and rng.random() < 0.5
    records = []
    for index in range(MONTHS):
        month = month_start(index)
        base = business.baseline_sales * SEASON[month.month - 1] * math.exp(rng.gauss(0, 0.2))
        share = clip(business.baseline_online_share + 0.002 * index * (0.5 + business.maturity), 0, 0.6)
        online = base * share
        extra = 0.0
        if start_index is not None and index >= start_index:
            extra = base * effect * min(1.0, (index - start_index + 1) / 6)
            if drop_index is not None and index > drop_index:
                extra *= 0.4  # listings stay up for a while after the MSME leaves the programme
        offline = max(base * (1 - share) - 0.3 * extra, 0.3 * base * (1 - share))
        # The same month without the programme: no extra online sales, offline not displaced.
        online_without = round(online * 100)
        total_without = online_without + round(base * (1 - share) * 100)
        online += extra
        online_cents = round(online * 100)
        total_cents = online_cents + round(offline * 100)
        orders = int(online / (average_price * rng.uniform(0.8, 1.2))) if online_cents else 0
        if online_cents and not orders:
            orders = 1
        units = max(int(total_cents / 100 / average_price * rng.uniform(1.0, 1.3)), orders)
        added_jobs = 1 if extra > business.baseline_sales * 0.5 and index >= 12 else 0
        employees = business.employees + added_jobs
        exports = 0
        if exporter and start_index is not None and index >= start_index + 6:
            exports = 1 + int(effect > 0.8) + int(effect > 1.3)
        if path is None:
            source = "estimate" if rng.random() < 0.08 else "survey"
        elif drop_index is not None and index > drop_index:
            source = "estimate"
        elif start_index is not None and index >= start_index and rng.random() < 0.35:
            source = "import"  # pulled from the marketplace seller account
        else:
            source = "estimate" if rng.random() < 0.05 else "survey"
        records.append(Month(month, total_cents, online_cents, orders, units, employees, exports, source,
                             added_online_cents=online_cents - online_without,
                             added_total_cents=total_cents - total_without, added_jobs=added_jobs))
    return records


def maturity_gain(rng: random.Random, path: Path | None) -> float:
    """Change of maturity between baseline and follow-up diagnostics."""
    if path is None:
        return 0.03 + rng.gauss(0, 0.04)
    reached = {"diagnosed": 0.02, "action_plan": 0.06, "listing": 0.12, "first_sale": 0.18, "graduated": 0.25}
    best = max((reached.get(stage, 0.0) for stage, _ in path.stages), default=0.0)
    return best + rng.gauss(0, 0.04)
