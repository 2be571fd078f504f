from django_tasks import task

from aldea.programmes.models import Programme
from aldea.reporting.clusters import DEFAULT_PROFILE, classify_municipalities
from aldea.reporting.impact.compute import store_impact_estimates


@task()
def compute_analytics(profile: str = DEFAULT_PROFILE) -> dict:
    """Background version of `aldea compute_analytics`, queued from the workspace: clusters,
    then each programme's impact estimates and equity figures."""
    summary = classify_municipalities(profile=profile)
    for programme in Programme.objects.all():
        store_impact_estimates(programme)
    return summary
