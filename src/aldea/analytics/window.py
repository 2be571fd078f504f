"""The detection window: where it ends by default, and when to warn about it.

Marketplace extracts end ragged: the last month is half-loaded and a few bogus dates sit
years later (Olist has order lines dated 2020 in data that ends in 2018). Ending the
window at the last date then leaves it almost empty. The default end is therefore the
last month that holds a substantial share of a typical month's rows, and the run warns
when rows fall after the window or when the window is thin. See docs/decisions.md A10.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

__all__ = ["WindowChoice", "choose_window", "months_before"]

#: A month "holds a substantial share" of the typical volume when it has at least this
#: share of the median month (months with data). See docs/decisions.md A10.
SUBSTANTIAL_MONTH_SHARE = 0.25
#: Warn when the window holds fewer rows than this share of what a window of typical
#: months would hold.
THIN_WINDOW_SHARE = 0.5


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's end)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(y, m + 1)[1]
    return dt.date(y, m + 1, min(day.day, last))


@dataclass
class WindowChoice:
    start: dt.date  # exclusive
    end: dt.date  # inclusive
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _median(values: list[int]) -> float:
    v = sorted(values)
    n = len(v)
    return float(v[n // 2]) if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def choose_window(daily: list[dict], window_end: dt.date | None, window_months: int,
                  *, today: dt.date | None = None) -> WindowChoice:
    """Pick the window from the rows per day of the sales.

    ``daily`` has one dict per date with data: ``date`` and ``n`` (rows with that valid
    date). With ``window_end`` given it is used as it is; otherwise the window ends at the
    last date of the last calendar month holding at least ``SUBSTANTIAL_MONTH_SHARE`` of
    the median month's rows (months with data).
    """
    per_month: dict[tuple[int, int], list] = {}
    for r in daily:
        key = (r["date"].year, r["date"].month)
        n, last = per_month.get(key, (0, r["date"]))
        per_month[key] = (n + int(r["n"]), max(last, r["date"]))
    months = sorted(per_month.items())
    notes: list[str] = []
    warnings: list[str] = []
    typical = _median([n for _, (n, _) in months]) if months else 0.0
    if window_end is None:
        if not months:
            window_end = today or dt.date.today()
            notes.append(f"no sale has a valid date; the window ends today, {window_end}")
        else:
            full = [last for _, (n, last) in months if n >= SUBSTANTIAL_MONTH_SHARE * typical]
            window_end = full[-1]
            if window_end == months[-1][1][1]:
                notes.append(f"window ends at the last sale date, {window_end.isoformat()}")
            else:
                notes.append(
                    f"window ends at {window_end.isoformat()}, the last date of the last month "
                    f"with at least {SUBSTANTIAL_MONTH_SHARE:.0%} of a typical month's rows "
                    f"(median {typical:,.0f} rows a month); the months after it are nearly empty"
                )
    start = months_before(window_end, window_months)
    after = sum(int(r["n"]) for r in daily if r["date"] > window_end)
    inside = sum(int(r["n"]) for r in daily if start < r["date"] <= window_end)
    if after:
        warnings.append(
            f"{after:,} row(s) are dated after the window's end ({window_end.isoformat()}) and "
            "are not counted in it; pass --window-end to move the window"
        )
    # Only as many months as the data can fill: a three-month extract is not "thin".
    if months:
        first_year, first_month = months[0][0]
        span = (window_end.year - first_year) * 12 + window_end.month - first_month + 1
        span = max(0, min(window_months, span))
        expected = typical * span
        if inside < THIN_WINDOW_SHARE * expected:
            warnings.append(
                f"the window ({start.isoformat()}, {window_end.isoformat()}] holds {inside:,} "
                f"rows, under {THIN_WINDOW_SHARE:.0%} of the {expected:,.0f} that {span} typical "
                "months hold: check --window-end and --window-months"
            )
    return WindowChoice(start, window_end, notes, warnings)
