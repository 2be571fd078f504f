"""What the MSME pages show, as plain functions over rows already fetched.

Each function takes model instances (or the user and the MSME) and returns plain values, so the
page and its tests compute the same thing, and the numbers can be checked by hand.
"""

from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from aldea.accounts.scoping import reach_of
from aldea.core.charts import styled
from aldea.core.months import add_months
from aldea.core.navigation import roles_of

# Roles whose members work with MSMEs and may know who owns one (partners see no owners).
STAFF_ROLES = frozenset({"manager", "trainer", "consultant", "analyst"})


@dataclass(frozen=True)
class OwnerDisclosure:
    """How much of an MSME's owner a viewer may see."""

    name: bool = False
    contact: bool = False
    everything: bool = False


def owner_disclosure(user, enterprise) -> OwnerDisclosure:
    """What of ``enterprise.owner`` ``user`` may see.

    The owner sees everything of their own MSME. Programme staff (manager, trainer, consultant,
    analyst) of the MSME's programme see the owner's name, and their email and phone only when
    the owner consented to be contacted. Everyone else (partners, other owners) sees nothing.
    """
    owner = enterprise.owner
    if owner is None:
        return OwnerDisclosure()
    reach = reach_of(user)
    if reach.person_id is not None and reach.person_id == owner.pk:
        return OwnerDisclosure(name=True, contact=True, everything=True)
    is_staff = reach.is_global or (
        bool(roles_of(user) & STAFF_ROLES) and enterprise.programme_id in reach.programme_ids
    )
    if not is_staff:
        return OwnerDisclosure()
    return OwnerDisclosure(name=True, contact=owner.has_contact_consent)


# --- maturity ---------------------------------------------------------------------------------


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


def maturity_figure(history: list[dict]) -> go.Figure:
    figure = go.Figure(
        go.Scatter(
            x=[row["assessed_on"].isoformat() for row in history],
            y=[float(row["score"]) for row in history],
            mode="lines+markers",
            text=[row["level_label"] for row in history],
            marker={"size": 9},
            name=_("Maturity score"),
            hovertemplate="%{x}: %{y:.1f} (%{text})<extra></extra>",
        )
    )
    figure.update_yaxes(range=[0, 100], title_text=_("Score (0–100)"))
    figure.update_xaxes(type="date")
    styled(figure, height=260)
    figure.update_layout(showlegend=False, margin={"l": 50, "r": 20, "t": 20, "b": 40})
    return figure


# --- products and listings --------------------------------------------------------------------


def listing_matrix(products) -> tuple[list, list[dict]]:
    """Products × channels: the channels any product is listed on, and for each product its
    listing per channel (``None`` where it has none). Products must have ``listings`` prefetched
    with their channel."""
    channels = {}
    for product in products:
        for listing in product.listings.all():
            channels[listing.channel_id] = listing.channel
    ordered_channels = sorted(channels.values(), key=lambda c: c.name)
    rows = []
    for product in products:
        by_channel = {listing.channel_id: listing for listing in product.listings.all()}
        rows.append({"product": product, "cells": [by_channel.get(c.pk) for c in ordered_channels]})
    return ordered_channels, rows


def listing_status_counts(products) -> dict[str, int]:
    """How many listings the MSME has in each status."""
    counts: dict[str, int] = {}
    for product in products:
        for listing in product.listings.all():
            counts[listing.status] = counts.get(listing.status, 0) + 1
    return counts


# --- outcomes ---------------------------------------------------------------------------------


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


def outcomes_figure(outcomes, currency: str) -> go.Figure:
    rows = sorted(outcomes, key=lambda o: o.month)
    months = [o.month.isoformat() for o in rows]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=months, y=[float(o.total_sales) for o in rows], mode="lines", name=_("Total sales"),
    ))
    figure.add_trace(go.Bar(
        x=months, y=[float(o.online_sales) for o in rows], name=_("Online sales"),
    ))
    figure.update_yaxes(title_text=currency, rangemode="tozero")
    figure.update_xaxes(type="date")
    return styled(figure, height=300)
