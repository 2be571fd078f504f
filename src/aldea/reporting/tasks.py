from django_tasks import task

from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.programmes.models import Programme
from aldea.reporting.clusters import DEFAULT_PROFILE, classify_municipalities
from aldea.reporting.impact.compute import store_impact_estimates


@task()
def compute_analytics(profile: str = DEFAULT_PROFILE) -> dict:
    """Background version of `aldea compute_analytics`, queued from the workspace: clusters,
    then each programme's outcome roll-ups, impact estimates and equity figures."""
    summary = classify_municipalities(profile=profile)
    for programme in Programme.objects.all():
        rebuild_outcome_rollups(programme)
        store_impact_estimates(programme)
    return summary
