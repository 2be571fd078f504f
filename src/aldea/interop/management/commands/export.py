"""`aldea export enterprises|people|products|outcomes|localities|iati`."""

from django.core.management.base import BaseCommand, CommandError

from aldea.interop.exporters import FORMATS, REGISTRIES, export_registry


class Command(BaseCommand):
    help = "Export a registry to CSV, XLSX or Parquet (re-importable unchanged), or a programme to IATI 2.03 XML."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=(*REGISTRIES, "iati"))
        parser.add_argument("--format", choices=FORMATS, help="default: from the --out suffix")
        parser.add_argument("--out", required=True)
        parser.add_argument("--programme", help="iati: the programme's code (slug) or id")

    def handle(self, *args, kind, format, out, programme, **options):
        if kind == "iati":
            from aldea.interop.iati import export_iati

            if not programme:
                raise CommandError("--programme is required for iati")
            try:
                activities = export_iati(programme, out)
            except (LookupError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"wrote {activities} IATI activity to {out}")
            return
        try:
            count = export_registry(kind, out, format=format)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {count} {kind} to {out}")
