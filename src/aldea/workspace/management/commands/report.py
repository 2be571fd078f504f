"""``aldea report --programme SLUG --out report.pdf``: the funder report as a PDF."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aldea.programmes.models import Programme
from aldea.reporting.impact.panel import ProgrammeImpactError, parse_period
from aldea.workspace.report.content import REPORT_LANGUAGES, collect
from aldea.workspace.report.pdf import render_pdf


class Command(BaseCommand):
    help = (
        "Write the programme's report to funders (cover, summary, indicators against targets, "
        "training cascade, village map, impact estimates with their method and assumptions, who "
        "benefits, data quality, definitions) as a PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, metavar="SLUG", help="programme code")
        parser.add_argument("--out", required=True, metavar="FILE", help="the PDF to write")
        parser.add_argument("--language", choices=list(REPORT_LANGUAGES), default="es")
        parser.add_argument("--period", metavar="YYYY-MM..YYYY-MM", help="months to report on")

    def handle(self, *args, programme, out, language, period, **options):
        found = Programme.objects.select_related("country").filter(slug=programme).first()
        if found is None:
            raise CommandError(f"no programme with code {programme!r}")
        try:
            months = parse_period(period) if period else None
        except ProgrammeImpactError as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()

        def progress(percent, stage):
            self.stderr.write(f"[{time.monotonic() - started:6.1f}s] {percent:3d}% {stage}")

        data = collect(found, period=months, progress=progress)
        pdf = render_pdf(data, language)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(pdf)
        self.stdout.write(f"wrote {out}: {len(pdf):,} bytes, figures hash {data.snapshot_hash}")
