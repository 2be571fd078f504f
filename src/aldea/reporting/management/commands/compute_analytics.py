from django.core.management.base import BaseCommand, CommandError

from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.programmes.models import EquityReport, Programme
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
        parser.add_argument("--programme", help="programme code (slug); default: every programme")
        parser.add_argument("--profile", default=DEFAULT_PROFILE, help="detection profile (default %(default)s)")

    def handle(self, *args, programme=None, profile=DEFAULT_PROFILE, **options):
        programmes = Programme.objects.all()
        if programme:
            programmes = programmes.filter(slug=programme)
            if not programmes.exists():
                raise CommandError(f"No programme with code {programme!r}")
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
