"""Mercado Libre leaf categories, from the shipped table of each site.

Mercado Libre lists an item only in a leaf category. ``data/mercadolibre_categories_<site>.csv``
holds, per site, the categories Aldea knows (id, name, path, whether it is a leaf) and the product
categories each one serves, as products write them (``Hogar > Tapetes``). A product's category is
either a Mercado Libre id (``MLM…``) the table holds as a leaf, or a product category the table
maps to a leaf: the longest matching branch wins (``Hogar > Tapetes`` before ``Hogar``). Anything
else is refused with a message that says what to add; the table's header says where its ids come
from and how to add a leaf.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aldea.interop.feeds.category_attributes import fold

TABLE_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = ["category_id", "name", "path", "leaf", "product_categories"]
API_CATEGORY = "https://api.mercadolibre.com/categories/{}"
API_PREDICTOR = "https://api.mercadolibre.com/sites/{}/domain_discovery/search?q=…"
CATEGORY_ID = re.compile(r"^M[LC][A-Z]\d+$")


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    path: str
    is_leaf: bool

    def __str__(self):
        return f"{self.id} ({self.name})"


@dataclass(frozen=True)
class CategoryTable:
    site: str
    file: str
    by_id: dict
    by_branch: dict  # folded product category -> Category


def table_file(site: str) -> Path:
    return TABLE_DIR / f"mercadolibre_categories_{site.lower()}.csv"


def branch_key(category: str) -> tuple:
    """A product category as its folded branches: ``Hogar > Tapetes`` -> ('hogar', 'tapetes')."""
    return tuple(fold(part) for part in category.split(">") if fold(part))


@cache
def category_table(site: str) -> CategoryTable | None:
    """The site's table, or None when Aldea ships none. Raises ValueError naming the line of a
    malformed row (the file is data anyone may edit)."""
    path = table_file(site)
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    if reader.fieldnames != COLUMNS:
        raise ValueError(f"{path.name}: the header must be {','.join(COLUMNS)}, not {','.join(reader.fieldnames or [])}")
    by_id, by_branch = {}, {}
    for row in reader:
        where = f"{path.name}, category {row['category_id'] or '?'}"
        if not re.fullmatch(rf"{site}\d+", row["category_id"] or ""):
            raise ValueError(f"{where}: category_id must be {site} followed by digits")
        if row["leaf"] not in ("true", "false"):
            raise ValueError(f"{where}: leaf must be true or false, not {row['leaf']!r}")
        if row["category_id"] in by_id:
            raise ValueError(f"{where}: the category is listed twice")
        category = Category(row["category_id"], row["name"], row["path"], row["leaf"] == "true")
        by_id[category.id] = category
        for product_category in filter(None, (part.strip() for part in (row["product_categories"] or "").split("|"))):
            key = branch_key(product_category)
            if key in by_branch:
                raise ValueError(f"{where}: product category {product_category!r} is mapped twice")
            by_branch[key] = category
    return CategoryTable(site=site, file=path.name, by_id=by_id, by_branch=by_branch)


def leaf_category(product, site: str) -> tuple[Category | None, str]:
    """(the leaf category to list ``product`` in, "") or (None, what to do about it)."""
    table = category_table(site)
    if table is None:
        return None, f"Aldea ships no Mercado Libre category table for site {site} ({table_file(site).name})"
    raw = (product.category or "").strip()
    if not raw:
        return None, (f"set the product's category (e.g. `Hogar > Tapetes`) or its Mercado Libre leaf category id "
                      f"from {table.file}")
    if CATEGORY_ID.match(raw):
        category = table.by_id.get(raw)
        if category is None:
            return None, (f"{raw} is not in the shipped category table {table.file}: add its row, checked with "
                          f"GET {API_CATEGORY.format(raw)} (a leaf has no children_categories)")
        if not category.is_leaf:
            return None, (f"{category} is not a leaf category and Mercado Libre lists only in leaf categories: "
                          f"use one of its leaves (category predictor: GET {API_PREDICTOR.format(site)})")
        return category, ""
    key = branch_key(raw)
    for length in range(len(key), 0, -1):
        category = table.by_branch.get(key[:length])
        if category is None:
            continue
        if category.is_leaf:
            return category, ""
        return None, (f"`{raw}` maps only to {category}, a branch, not a leaf: Mercado Libre lists only in leaf "
                      f"categories. Add the leaf for `{raw}` to {table.file} (category predictor: "
                      f"GET {API_PREDICTOR.format(site)}), or set the product's category to the leaf id")
    return None, (f"no Mercado Libre category is mapped to `{raw}` in {table.file}: add the leaf category's row "
                  f"with `{raw}` in its product_categories, or set the product's category to the leaf id")


def branch_of(category: Category, site: str) -> Category | None:
    """The top-level category a leaf sits under (the first name of its path), when the table has it."""
    table = category_table(site)
    root = category.path.split(" > ")[0].strip()
    return next((c for c in table.by_id.values() if not c.is_leaf and c.name == root), None) if table else None
