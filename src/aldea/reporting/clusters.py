"""Cluster detection over the platform's own data: MSMEs, their municipalities and online sales.

The platform calls the Django-free engine (`aldea.analytics.detect`) on its own database, read
in place (`aldea.analytics.platform.platform_inputs_in`): on PostgreSQL the whole detection runs
in PostgreSQL, on SQLite the filtered inputs go to DuckDB as Arrow. Nothing is loaded into
pandas but the result, one row per municipality with sellers, stored as ClusterClassification
rows. Each country is classified apart, so shop rates are relative to its own nation.

The analytics open a connection of their own, so they see what is committed: run the
classification outside a transaction that has written MSMEs or sales it should count.
"""

import pandas as pd
from django.db import transaction
from django.utils import timezone

from aldea.analytics import detect
from aldea.analytics.platform import platform_inputs_in
from aldea.core.databases import database_url
from aldea.territories.models import AdministrativeArea, ClusterClassification, Country

DEFAULT_PROFILE = "latam-relative"
_EMPTY = {"read": 0, "used": 0, "rejected": 0}


def countries_to_classify(programme=None) -> list[Country]:
    """The programme's country, or every country with a programme that has MSMEs."""
    if programme is not None:
        return [programme.country]
    return list(Country.objects.filter(programmes__enterprises__isnull=False).distinct().order_by("code"))


def detect_in_database(*, country_code: str, programme=None, profile: str = DEFAULT_PROFILE,
                       window_end=None, url: str | None = None) -> tuple[pd.DataFrame | None, dict]:
    """(one row per municipality with sellers, the engine's summary) for one country.

    The inputs are built in the database at ``url`` (default: the platform's own) and
    detection runs in its engine; ``(None, empty summary)`` when there are no online sales.
    """
    con, inputs = platform_inputs_in(
        url or database_url(), programme_id=None if programme is None else programme.id,
        country_code=country_code)
    try:
        if inputs["sales"].count().execute() == 0:
            return None, dict(_EMPTY)
        result = detect(inputs["sales"], inputs["localities"], inputs["sellers"], profile=profile,
                        window_end=window_end, con=con, materialize=True)
        try:
            rows = result.localities.to_pandas()
            summary = result.summary()
        finally:
            result.release()
    finally:
        con.disconnect()
    summary["window_end_date"] = result.window_end
    return rows, summary


def classify_municipalities(*, programme=None, profile: str = DEFAULT_PROFILE, window_end=None) -> dict:
    """Run detection on the platform's data and replace the stored classification of ``profile``.

    Returns the engine's counts (rows read, used, rejected) summed over the countries, each
    country's summary under ``countries``, and the number of municipalities stored and how
    many qualify.
    """
    results = {}
    for country in countries_to_classify(programme):
        rows, summary = detect_in_database(country_code=country.code, programme=programme,
                                           profile=profile, window_end=window_end)
        results[country] = (rows, summary)
    computed_at = timezone.now()
    total = {**_EMPTY, "stored": 0, "qualifying": 0, "countries": {}}
    with transaction.atomic():
        ClusterClassification.objects.filter(profile=profile).delete()
        for country, (rows, summary) in results.items():
            window = summary.pop("window_end_date", None)
            for key in _EMPTY:
                total[key] += summary[key]
            total["countries"][country.code] = summary
            if rows is None:
                continue
            _store(rows, country=country, profile=profile, computed_at=computed_at, window_end=window)
            total["stored"] += len(rows)
            total["qualifying"] += int(rows["qualifies"].sum())
    return total


def _store(rows: pd.DataFrame, *, country, profile, computed_at, window_end) -> None:
    area_ids = dict(
        AdministrativeArea.objects.filter(
            country=country, level=AdministrativeArea.Level.MUNICIPALITY,
            code__in=rows["locality_code"].tolist(),
        ).values_list("code", "id")
    )
    ClusterClassification.objects.bulk_create(
        ClusterClassification(
            profile=profile,
            area_id=area_ids[row.locality_code],
            computed_at=computed_at,
            window_end=window_end,
            active_shops=int(row.active_shops),
            shop_share=_float(row.shop_share),
            turnover=round(float(row.turnover), 2),
            currency=_text(row.currency),
            turnover_cny=round(float(row.turnover_cny), 2),
            top_category=_text(row.top_category),
            top_category_share=_float(row.top_category_share),
            qualifies=bool(row.qualifies),
            rule=_text(row.rule),
            score=_float(row.score),
            rank=int(row.rank),
            cluster_id="" if pd.isna(row.cluster_id) else str(row.cluster_id),
        )
        for row in rows.itertuples()
    )


def _text(value) -> str:
    # pandas gives NaN, not None, for a missing text: NaN is truthy, so `value or ""` would keep it.
    return "" if value is None or pd.isna(value) else str(value)


def _float(value):
    return None if value is None or pd.isna(value) else float(value)

