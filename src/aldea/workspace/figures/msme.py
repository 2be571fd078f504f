"""What the MSME pages show, as plain functions over rows already fetched.

Each function takes model instances (or the user and the MSME) and returns plain values, so the
page and its tests compute the same thing, and the numbers can be checked by hand.
"""

from __future__ import annotations

from decimal import Decimal

from aldea.core.months import add_months


def maturity_history(assessments) -> list[dict]:
    """The MSME's diagnostics, oldest first: date, score (0–100) and level."""
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, a.pk or 0))
    return [
        {
            "pk": a.pk,
            "assessed_on": a.assessed_on,
            "score": a.score,
            "level": a.level,
            "level_label": a.get_level_display(),
            "assessor": a.assessor,
        }
        for a in ordered
    ]


def listing_matrix(products) -> tuple[list, list[dict]]:
    """Products × channels: the channels any product is listed on, and for each product its
    listing per channel (``None`` where it has none), and the same as (channel, listing) pairs
    (a phone's folded table names each cell by its channel). Products must have ``listings``
    prefetched with their channel."""
    channels = {}
    for product in products:
        for listing in product.listings.all():
            channels[listing.channel_id] = listing.channel
    ordered_channels = sorted(channels.values(), key=lambda c: c.name)
    rows = []
    for product in products:
        by_channel = {listing.channel_id: listing for listing in product.listings.all()}
        cells = [by_channel.get(c.pk) for c in ordered_channels]
        rows.append({"product": product, "cells": cells, "by_channel": list(zip(ordered_channels, cells, strict=True))})
    return ordered_channels, rows


def listing_status_counts(products) -> dict[str, int]:
    """How many listings the MSME has in each status."""
    counts: dict[str, int] = {}
    for product in products:
        for listing in product.listings.all():
            counts[listing.status] = counts.get(listing.status, 0) + 1
    return counts


def outcome_summary(outcomes) -> dict:
    """Totals over the 12 months ending with the latest month on record, and the latest headcount.

    Returns ``{"months": n, "from": date, "to": date, "online_sales": Decimal, "total_sales":
    Decimal, "orders": int, "employees": int | None, "export_markets": int}``; the sums are zero and
    the dates ``None`` when there are no records.
    """
    rows = sorted(outcomes, key=lambda o: o.month)
    if not rows:
        return {"months": 0, "from": None, "to": None, "online_sales": Decimal(0), "total_sales": Decimal(0),
                "orders": 0, "employees": None, "export_markets": 0}
    last = rows[-1].month
    start = add_months(last, -11)
    window = [o for o in rows if o.month >= start]
    employees = next((o.employees for o in reversed(rows) if o.employees is not None), None)
    return {
        "months": len(window),
        "from": window[0].month,
        "to": last,
        "online_sales": sum((o.online_sales for o in window), Decimal(0)),
        "total_sales": sum((o.total_sales for o in window), Decimal(0)),
        "orders": sum(o.orders for o in window),
        "employees": employees,
        "export_markets": rows[-1].export_markets,
    }
