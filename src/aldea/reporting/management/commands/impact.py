"""``aldea impact --programme SLUG``: the programme's impact estimate from the platform's data.

The ``--input`` form (a panel file) is Django-free and lives in aldea.analytics.cli; the
``aldea`` script sends ``--programme`` here.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aldea.analytics.impact import DEFAULT_SEED, ImpactInputError
from aldea.programmes.models import Programme
from aldea.reporting.impact.compute import programme_estimate, who_benefits
from aldea.reporting.impact.panel import (
    CLUSTERS,
    COVARIATES,
    OUTCOMES,
    ProgrammeImpactError,
    parse_period,
)


class Command(BaseCommand):
    help = (
        "Estimate what the programme caused (Callaway & Sant'Anna 2021, treatment from the "
        "village's launch, comparison group and not-yet-launched villages as controls) and "
        "print the estimator's JSON (docs/data-contracts.md) or a table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, metavar="SLUG", help="programme code")
        parser.add_argument("--outcome", choices=list(OUTCOMES), default="online_sales")
        parser.add_argument("--deflate", nargs="?", const="inpc-mx", default=None, metavar="INDEX",
                            help="express money in constant prices of the first month "
                            "(shipped index; default inpc-mx)")
        parser.add_argument("--period", metavar="YYYY-MM..YYYY-MM", help="months to use")
        parser.add_argument("--control", choices=("never", "not-yet"), default="never")
        parser.add_argument("--anticipation", type=int, default=0, metavar="K",
                            help="months before the launch in which MSMEs may already react")
        parser.add_argument("--cluster", metavar="COL", default=None,
                            help=f"cluster standard errors on {', '.join(CLUSTERS)} (default: the "
                            "municipality, or the MSME when there are too few municipalities)")
        parser.add_argument("--covariates", metavar="C1,C2", default="",
                            help=f"MSME characteristics for the doubly robust estimator: {', '.join(COVARIATES)}")
        parser.add_argument("--level", type=float, default=0.95)
        parser.add_argument("--bootstrap", type=int, default=0, metavar="B",
                            help="multiplier bootstrap draws for the standard errors (0: influence function)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the bootstrap")
        parser.add_argument("--who-benefits", action="store_true",
                            help="add subgroup effects, the change in inequality and the "
                            "concentration of net gains (JSON only)")
        parser.add_argument("--format", choices=("json", "table"), default="json")
        parser.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")

    def handle(self, *args, **o):
        programme = Programme.objects.filter(slug=o["programme"]).first()
        if programme is None:
            raise CommandError(f"no programme with code {o['programme']!r}")
        if not 0 < o["level"] < 1:
            raise CommandError(f"--level must be between 0 and 1 (got {o['level']})")
        try:
            period = parse_period(o["period"]) if o["period"] else None
            estimate, built, result = programme_estimate(
                programme, outcome=o["outcome"], deflate=o["deflate"], period=period,
                control=o["control"], level=o["level"], anticipation=o["anticipation"],
                bootstrap=o["bootstrap"], seed=o["seed"], cluster=o["cluster"],
                covariates=tuple(c.strip() for c in (o["covariates"] or "").split(",") if c.strip()))
            if o["who_benefits"]:
                estimate["who_benefits"] = who_benefits(built, control=o["control"], level=o["level"])
        except (ProgrammeImpactError, ImpactInputError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(estimate, indent=2) if o["format"] == "json" else result.to_table()
        if o["out"]:
            Path(o["out"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"wrote {o['out']}")
        else:
            self.stdout.write(text)
