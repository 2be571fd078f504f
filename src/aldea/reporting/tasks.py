from django_tasks import task

from aldea.programmes.models import Programme
from aldea.reporting.clusters import DEFAULT_PROFILE, classify_municipalities
from aldea.reporting.equity import store_equity_report


@task()
def compute_analytics(profile: str = DEFAULT_PROFILE) -> dict:
    """Background version of `aldea compute_analytics`, queued from the workspace."""
    summary = classify_municipalities(profile=profile)
    for programme in Programme.objects.all():
        store_equity_report(programme)
    return summary
