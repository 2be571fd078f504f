"""The demo generator's shape (sizes, codes, prefixes) and its small value helpers."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.utils.text import slugify

from aldea.accounts.models import Person
from aldea.demo import simulation as sim

DEFAULT_SEED = 2026
DEFAULT_PARTICIPANTS_PER_VILLAGE = 50
DEFAULT_COMPARISON = 200
TRAINERS_PER_PARTICIPANT = 40 / 400
CONSULTANTS_PER_PARTICIPANT = 800 / 400
CHUNK = 500
CONSULTANT_COHORT_SIZE = 30
WORKSHOP_COHORT_SIZE = 25
TRAINER_COHORT_SIZE = 20
PROGRAMME_END = dt.date(2025, 12, 31)
FEMALE_SHARE = {"textiles": 0.68, "crafts": 0.52, "food": 0.3}
PREFIXES = {
    "teotitlan-del-valle": ("Tapetes", "Taller", "Telares", "Lanas"),
    "santa-clara-del-cobre": ("Cobre", "Taller", "Forja", "Artesanías"),
    "san-bartolo-coyotepec": ("Barro Negro", "Alfarería", "Taller", "Casa"),
    "san-pablo-del-monte": ("Talavera", "Cerámica", "Taller", "Casa"),
    "olinala": ("Lacas", "Arte", "Taller", "Casa"),
    "tixkokob": ("Hamacas", "Tejidos", "Casa", "Hamaquería"),
    "san-pablito-pahuatlan": ("Amate", "Papel", "Arte", "Taller"),
    "santiago-matatlan": ("Mezcal", "Palenque", "Destilería", "Mezcalería"),
}
CODES = {"teotitlan-del-valle": "teo", "santa-clara-del-cobre": "scc", "san-bartolo-coyotepec": "sbc",
         "san-pablo-del-monte": "spm", "olinala": "oli", "tixkokob": "tix", "san-pablito-pahuatlan": "spb",
         "santiago-matatlan": "stm"}
AREA_CODES = {"20": "951", "16": "434", "29": "222", "12": "756", "31": "991", "21": "776"}




def rng_for(seed: int, *parts) -> random.Random:
    return random.Random("|".join([str(seed), *map(str, parts)]))


def aware(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def random_days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def ascii_of(text: str) -> str:
    return slugify(text).replace("-", ".")


def owner_person_age(person: Person) -> int:
    return sim.PROGRAMME_START.year - (person.birth_year or 1980)


def similar_municipalities(village_area, areas, exclude_codes, count=3):
    """Municipalities of the same state with the same marginalisation degree and the closest
    population (ties broken by code), for the comparison group."""
    same_state = [a for a in areas if a.code[:2] == village_area.code[:2] and a.code not in exclude_codes
                  and a.population]
    order = ("muy_bajo", "bajo", "medio", "alto", "muy_alto")
    degree = order.index(village_area.marginalisation_degree)
    for distance in range(len(order)):
        allowed = {order[d] for d in (degree - distance, degree + distance) if 0 <= d < len(order)}
        pool = [a for a in same_state if a.marginalisation_degree in allowed]
        if len(pool) >= count:
            break
    pool.sort(key=lambda a: (abs(math.log(a.population / village_area.population)), a.code))
    return pool[:count]


def weighted_sample(rng: random.Random, items, weights, k):
    items, weights = list(items), list(weights)
    chosen = []
    for _ in range(min(k, len(items))):
        pick = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(pick))
        weights.pop(pick)
    return chosen


def random_gtin(rng: random.Random) -> str:
    """A GTIN-13 with GS1 Mexico's 750 prefix and a valid check digit."""
    body = "750" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)

