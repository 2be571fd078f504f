from django_tasks import task

from aldea.programmes.equity import store_equity_report
from aldea.programmes.models import Programme
from aldea.territories.clusters import DEFAULT_PROFILE, classify_municipalities


@task()
def compute_analytics(profile: str = DEFAULT_PROFILE) -> dict:
    """Background version of `aldea compute_analytics`, queued from the workspace."""
    summary = classify_municipalities(profile=profile)
    for programme in Programme.objects.all():
        store_equity_report(programme)
    return summary
