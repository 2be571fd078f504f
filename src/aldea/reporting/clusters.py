"""Cluster detection over the platform's own data: MSMEs, their municipalities and online sales.

The platform calls the Django-free engine (`aldea.analytics.detect`) with three frames built
from the database and stores each municipality's figures as ClusterClassification rows.
"""

import pandas as pd
from django.db import transaction
from django.utils import timezone

from aldea.analytics import connect, detect
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord
from aldea.territories.models import AdministrativeArea, ClusterClassification

DEFAULT_PROFILE = "latam-relative"


def detection_inputs(programme=None) -> dict[str, pd.DataFrame]:
    """Sales, sellers and localities frames in the engine's data contract (docs/data-contracts.md).

    Each MSME is a seller located in its municipality; each month's online sales is one sale.
    Localities are every municipality, so shop shares are relative to the whole country.
    """
    enterprises = Enterprise.objects.all()
    if programme is not None:
        enterprises = enterprises.filter(programme=programme)
    sellers = pd.DataFrame.from_records(
        enterprises.values_list("code", "municipality__code", "sector"),
        columns=["seller_id", "locality_code", "category"],
    )
    sales = pd.DataFrame.from_records(
        OutcomeRecord.objects.filter(enterprise__in=enterprises, online_sales__gt=0)
        .values_list("enterprise__code", "month", "online_sales", "currency")
        .order_by("enterprise__code", "month"),
        columns=["seller_id", "date", "amount", "currency"],
    )
    sales["amount"] = sales["amount"].astype("float64")
    sales["date"] = pd.to_datetime(sales["date"])
    localities = pd.DataFrame.from_records(
        AdministrativeArea.objects.filter(level=AdministrativeArea.Level.MUNICIPALITY).values_list(
            "code", "name", "parent__code", "households", "population"
        ),
        columns=["code", "name", "parent_code", "households", "population"],
    )
    return {"sales": sales, "sellers": sellers, "localities": localities}


@transaction.atomic
def classify_municipalities(*, programme=None, profile: str = DEFAULT_PROFILE, window_end=None) -> dict:
    """Run detection on the platform's data and replace the stored classification of ``profile``.

    Returns the engine's summary (rows read, used, rejected by reason) plus the number of
    municipalities stored and how many qualify.
    """
    frames = detection_inputs(programme)
    if frames["sales"].empty:
        ClusterClassification.objects.filter(profile=profile).delete()
        return {"read": 0, "used": 0, "rejected": 0, "stored": 0, "qualifying": 0}
    result = detect(
        frames["sales"], frames["localities"], frames["sellers"],
        profile=profile, window_end=window_end, con=connect("duckdb"),
    )
    rows = result.localities.to_pandas()
    area_ids = dict(
        AdministrativeArea.objects.filter(code__in=rows["locality_code"].tolist(), level="municipality")
        .values_list("code", "id")
    )
    computed_at = timezone.now()
    ClusterClassification.objects.filter(profile=profile).delete()
    ClusterClassification.objects.bulk_create(
        ClusterClassification(
            profile=profile,
            area_id=area_ids[row.locality_code],
            computed_at=computed_at,
            window_end=result.window_end,
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
    summary = result.summary()
    summary.update(stored=len(rows), qualifying=int(rows["qualifies"].sum()))
    return summary


def _text(value) -> str:
    # pandas gives NaN, not None, for a missing text: NaN is truthy, so `value or ""` would keep it.
    return "" if value is None or pd.isna(value) else str(value)


def _float(value):
    return None if value is None or pd.isna(value) else float(value)

