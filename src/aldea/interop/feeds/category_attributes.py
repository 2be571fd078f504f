"""Mercado Libre's required attributes per category: the shipped table, and the values products give.

Products have no attribute store. A value comes from a product field where one fits (BRAND from
the brand, MODEL from the MPN) or else from a ``Name: value`` line of the product's description
(``Material: barro negro``); BRAND and MODEL then fall back to the workshop (or ``Genérica``) and
the SKU. The table (``data/mercadolibre_attributes.json``) says which attributes each category
requires; see its notes for where it comes from and what it does not know.
"""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from aldea.interop.feeds.base import MERCADOLIBRE_SITES, Problem, product_key

TABLE_FILE = Path(__file__).resolve().parent / "data" / "mercadolibre_attributes.json"
# A short name, a colon, a value: `Material: lana`, `Peso neto: 500 g`. Names start with a letter
# and are short, so most prose lines with a colon are not taken for attributes.
ATTRIBUTE_LINE = re.compile(r"^\s*([^\W\d_][\w .()/-]{0,39}?)\s*:\s*(\S.*?)\s*$")
NUMBER_UNIT = re.compile(r"^\d+(?:[.,]\d+)?\s?[^\W\d_]{1,5}$")
GENERIC_BRAND = "Genérica"  # Mercado Libre's brand for unbranded goods
API_ATTRIBUTES = "GET https://api.mercadolibre.com/categories/{}/attributes"


@cache
def attribute_table() -> dict:
    return json.loads(TABLE_FILE.read_text(encoding="utf-8"))


def fold(text) -> str:
    """A name with case, accents, spaces and punctuation ignored (`Género`, `GENERO`, `gênero`)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]", "", text)


def description_attributes(description: str) -> dict[str, str]:
    """The ``Name: value`` lines of a description, keyed by the folded name; the first line wins.

    >>> description_attributes("Lana teñida a mano.\\nMaterial: lana\\nGénero: Mujer")
    {'material': 'lana', 'genero': 'Mujer'}
    """
    found = {}
    for line in (description or "").splitlines():
        match = ATTRIBUTE_LINE.match(line)
        if match:
            found.setdefault(fold(match[1]), match[2])
    return found


def site_language(product) -> str:
    return "pt" if MERCADOLIBRE_SITES.get(product.currency) == "MLB" else "es"


def resolve_attributes(product, category_ids=None) -> tuple[list, list]:
    """The item's ``attributes`` (without GTIN) and what stands in their way, for one product.

    ``category_ids`` are the leaf category the item is listed in, then its top-level branch: the
    first the attribute table holds says which attributes are required (default: the product's
    category). Problems that block the product come first; notes (``is_blocking=False``) say what
    could not be checked. The leaf itself is found by the caller (``mercadolibre_categories``).
    """
    table = attribute_table()
    definitions = table["attributes"]
    language = site_language(product)
    given = description_attributes(product.description)
    key = product_key(product)
    problems, values = [], {}

    def name(attribute_id):
        return definitions[attribute_id]["name"][language]

    def from_description(attribute_id):
        spec = definitions[attribute_id]
        for label in (attribute_id, spec["name"]["es"], spec["name"]["pt"]):
            if fold(label) in given:
                return given[fold(label)]
        return ""

    # Product fields come first: a description line never overrides them.
    workshop = product.enterprise.name if product.is_handmade else ""
    values["BRAND"] = product.brand or from_description("BRAND") or workshop or GENERIC_BRAND
    values["MODEL"] = product.mpn or from_description("MODEL") or product.sku
    for attribute_id, spec in definitions.items():
        raw = "" if attribute_id in values else from_description(attribute_id)
        if not raw:
            continue
        value, fix = checked_value(spec, raw, language)
        if fix:
            problems.append(Problem(key, f"attribute {attribute_id}", fix))
        else:
            values[attribute_id] = value

    category_ids = [c for c in (category_ids or [product.category or ""]) if c]
    listed_in = category_ids[0] if category_ids else ""
    category_id = next((c for c in category_ids if c in table["categories"]), listed_in)
    category = table["categories"].get(category_id)
    if category is not None and category_id != listed_in:
        problems.append(Problem(key, "attributes", f"attributes checked against {category_id} ({category['name']}), "
                                f"the branch of {listed_in}: the leaf may require more (see "
                                f"{API_ATTRIBUTES.format(listed_in)})", is_blocking=False))
    if category is None:
        problems.append(Problem(key, "attributes", f"attributes not checked for category {category_id}: not in the "
                                f"shipped table (see {API_ATTRIBUTES.format(category_id)})", is_blocking=False))
    else:
        reported = {p.field for p in problems}
        for attribute_id in category["required"]:
            if attribute_id in values or f"attribute {attribute_id}" in reported:
                continue
            spec = definitions[attribute_id]
            fix = (f"add the attribute {attribute_id} ({name(attribute_id)}), required in category {category_id} "
                   f"({category['name']}), to the product's description as a line `{name(attribute_id)}: …`")
            if spec["value_type"] == "list":
                fix += f" with one of: {allowed(spec, language)}"
            problems.append(Problem(key, f"attribute {attribute_id}", fix))
        if not category.get("listing_allowed", True) and category_id == listed_in:
            problems.append(Problem(key, "category_id", f"{category_id} ({category['name']}) is a top-level category and "
                                    "Mercado Libre lists only in leaf categories: set the leaf id from the category "
                                    "predictor (its attributes were checked against the top level)", is_blocking=False))
    attributes = [{"id": attribute_id, "value_name": value} for attribute_id, value in values.items()]
    return attributes, problems


def allowed(spec, language) -> str:
    return ", ".join(value[language] for value in spec["values"])


def checked_value(spec, raw, language) -> tuple[str, str]:
    """(value to send, "") or ("", how to fix it) for one attribute value from a description."""
    label = spec["name"][language]
    if spec["value_type"] == "list":
        for value in spec["values"]:
            if fold(raw) in (fold(value["es"]), fold(value["pt"])):
                return value[language], ""
        return "", f"{label} `{raw}` is not one of Mercado Libre's values: use one of {allowed(spec, language)}"
    if spec["value_type"] == "number_unit" and not NUMBER_UNIT.match(raw):
        return "", f"write {label} as a number and a unit, e.g. `{label}: 500 g`"
    return raw, ""
