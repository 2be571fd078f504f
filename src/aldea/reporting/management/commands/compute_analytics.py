from django.core.management.base import BaseCommand

from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.programmes.commands import add_programme_option, chosen_programmes
from aldea.programmes.models import EquityReport
from aldea.reporting.clusters import DEFAULT_PROFILE, classify_municipalities
from aldea.reporting.impact.compute import store_impact_estimates


class Command(BaseCommand):
    help = (
        "Detect e-commerce clusters over the platform's MSMEs and online sales, store each "
        "municipality's figures, and compute each programme's impact estimates (online and "
        "total sales, orders, jobs) and equity figures on net gains; then rebuild the monthly "
        "roll-ups of outcome figures that the overview reads."
    )

    def add_arguments(self, parser):
        add_programme_option(parser)
        parser.add_argument("--profile", default=DEFAULT_PROFILE, help="detection profile (default %(default)s)")

    def handle(self, *args, programme=None, profile=DEFAULT_PROFILE, **options):
        programmes = chosen_programmes(programme)
        summary = classify_municipalities(profile=profile)
        self.stdout.write(
            f"clusters ({profile}): read {summary['read']} sales rows, used {summary['used']}, "
            f"rejected {summary['rejected']}; {summary['stored']} municipalities stored, "
            f"{summary['qualifying']} qualify"
        )
        for each in programmes:
            self.stdout.write(f"roll-ups {each.slug}: {rebuild_outcome_rollups(each)} rows")
            for estimate in store_impact_estimates(each):
                if estimate.error:
                    self.stdout.write(f"impact {each.slug} {estimate.outcome}: no estimate ({estimate.error})")
                    continue
                simple = {k: "-" if v is None else f"{v:,.2f}"
                          for k, v in estimate.result["estimate"]["overall"]["simple"].items()}
                self.stdout.write(
                    f"impact {each.slug} {estimate.outcome}: {simple['att']} a month "
                    f"(95% CI {simple['ci_low']} to {simple['ci_high']}), "
                    f"{estimate.participants} participants, {estimate.comparison} comparison MSMEs"
                )
            report = EquityReport.objects.filter(programme=each).latest()
            gini = report.figures.get("gini")
            self.stdout.write(
                f"equity {each.slug}: {report.participants} participants, "
                f"Gini of net gains {'-' if gini is None else f'{gini:.3f}'}"
            )
