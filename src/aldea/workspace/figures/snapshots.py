"""The overview's counts, kept as a snapshot where computing them is slow (decision O17).

The village page keeps its counts (progress and cascade) the same way, per village and scope.

Freshness rule: a view of at least ``ALDEA_OVERVIEW_SNAPSHOT_MSMES`` participant MSMEs (5,000;
counting a view's funnel and indicators takes seconds at 100,000) is kept as a snapshot per
scope: the whole programme, or one user's narrower view. A snapshot younger than ``ALDEA_OVERVIEW_MAX_AGE``
seconds (300) and of today is shown as it is; an older one is still shown, with its time, while
`aldea worker` counts again (queued once per age). Smaller views are counted on every request,
so their figures are live.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from aldea.programmes.models import Programme
from aldea.workspace.models import OverviewSnapshot


@dataclass
class Counts:
    figures: dict
    # When a snapshot computed them; None: counted just now, on this view.
    as_of: datetime.datetime | None


def scope_of(user, *, whole: bool) -> str:
    return OverviewSnapshot.WHOLE if whole else f"user:{user.pk}"


def village_scope(user, village, *, whole: bool) -> str:
    """A village page's scope: the whole village, or one user's narrower view of it."""
    return f"village:{village.pk}" if whole else f"village:{village.pk}:user:{user.pk}"


def parse_scope(scope: str) -> tuple[int | None, int | None]:
    """(village id, user id) of a scope; None where it names none ("whole": neither)."""
    parts = scope.split(":")
    fields = dict(zip(parts[::2], parts[1::2], strict=False))
    return (int(fields["village"]) if "village" in fields else None,
            int(fields["user"]) if "user" in fields else None)


def max_age_minutes() -> int:
    """``ALDEA_OVERVIEW_MAX_AGE`` in whole minutes, as the pages state the freshness rule."""
    return max(1, round(settings.OVERVIEW_MAX_AGE / 60))


def is_fresh(snapshot: OverviewSnapshot, *, today: datetime.date, now: datetime.datetime) -> bool:
    age = (now - snapshot.computed_at).total_seconds()
    return snapshot.computed_on == today and age <= settings.OVERVIEW_MAX_AGE


def counts_for(programme: Programme, scope: str, *, today: datetime.date, compute: Callable[[], dict],
               participants: int) -> Counts:
    """The counts of ``programme`` as ``scope`` sees them, over its ``participants`` (the MSMEs of
    the villages it sees, counted by the caller): ``compute()`` for a small view; for a large
    one, its snapshot by the freshness rule (one query), or ``compute()`` kept as one."""
    if participants < settings.OVERVIEW_SNAPSHOT_MSMES:
        return Counts(compute(), None)
    snapshot = OverviewSnapshot.objects.filter(programme=programme, scope=scope).first()
    if snapshot is None:
        return store_counts(programme, scope, today=today, compute=compute)
    now = timezone.now()
    if not is_fresh(snapshot, today=today, now=now):
        queue_refresh(snapshot, now=now)
    return Counts(snapshot.figures, snapshot.computed_at)


def store_counts(programme: Programme, scope: str, *, today: datetime.date, compute: Callable[[], dict]) -> Counts:
    """``compute()`` now, kept as the scope's snapshot."""
    figures = compute()
    computed_at = timezone.now()
    try:
        # A savepoint: two first views of one scope at once both store, and the second loses.
        with transaction.atomic():
            OverviewSnapshot.objects.update_or_create(
                programme=programme, scope=scope,
                defaults={"figures": figures, "computed_at": computed_at, "computed_on": today,
                          "refresh_queued_at": None},
            )
    except IntegrityError:
        pass
    return Counts(figures, computed_at)


def queue_refresh(snapshot: OverviewSnapshot, *, now: datetime.datetime) -> bool:
    """Ask the worker for a new snapshot, unless one was asked for within the age. True if asked."""
    recently = now - datetime.timedelta(seconds=settings.OVERVIEW_MAX_AGE)
    claimed = (
        OverviewSnapshot.objects.filter(pk=snapshot.pk, computed_at=snapshot.computed_at)
        .exclude(refresh_queued_at__gte=recently)
        .update(refresh_queued_at=now)
    )
    if claimed:
        transaction.on_commit(lambda: refresh_overview_snapshot.enqueue(snapshot.programme_id, snapshot.scope))
    return bool(claimed)


@task()
def refresh_overview_snapshot(programme_id: int, scope: str) -> bool:
    """Compute one snapshot again (the worker's half of the freshness rule). False when the
    programme or the user is gone."""
    from aldea.workspace.figures.overview import refresh_snapshot

    return refresh_snapshot(programme_id, scope)
