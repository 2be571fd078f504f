# ruff: noqa: N999 (the command is `aldea import`, so the module is import.py)
"""`aldea import enterprises|people|products|outcomes|localities|kobo|sales FILE`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aldea.interop.importers.base import MODES, VALID_ROWS
from aldea.interop.services import REGISTRIES, import_registry

KINDS = (*REGISTRIES, "kobo", "sales")


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX or Parquet file into a registry, a KoboToolbox/ODK export, or a "
        "marketplace sales report. Ends with counts; exits 1 when any row was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--mode", choices=MODES, default=VALID_ROWS,
                            help="valid-rows writes the good rows; all-or-nothing writes nothing if any row is bad")
        parser.add_argument("--rejects", metavar="OUT.csv", help="write rejected rows, with line and reasons, here")
        parser.add_argument("--programme", help="programme code for rows without a programme column")
        parser.add_argument("--sheet", help="XLSX sheet to read (default: the first)")
        parser.add_argument("--form", help="kobo: registration|diagnostic|outcome|attendance")
        parser.add_argument("--channel", help="sales: mercadolibre|shopify|amazon")

    def handle(self, *args, **options):
        from aldea.ops import audit

        # The command line has no user: its changes are the system's, through the import door.
        with audit.acting(door=audit.Door.IMPORT):
            self._import(**options)

    def _import(self, *, kind, file, dry_run, mode, rejects, programme, sheet, form, channel, **options):
        if kind == "kobo":
            from aldea.interop.kobo import import_kobo

            if not form:
                raise CommandError("--form is required for kobo imports")
            report = import_kobo(form, file, dry_run=dry_run, mode=mode, rejects_path=rejects)
        elif kind == "sales":
            from aldea.interop.sales import import_sales

            if not channel:
                raise CommandError("--channel is required for sales imports")
            report = import_sales(channel, file, dry_run=dry_run, mode=mode, rejects_path=rejects)
        else:
            report = import_registry(kind, file, mode=mode, dry_run=dry_run, rejects_path=rejects,
                                     programme=programme, sheet=sheet)
        if report.format:
            self.stdout.write(f"{report.path}: {report.format}")
        for error in report.errors:
            self.stdout.write(str(error))
        if report.rejected > len(report.errors):
            self.stdout.write(_("… and more: see --rejects for all %(count)s rejected rows") % {"count": report.rejected})
        for note in report.notes:
            self.stdout.write(_("note: %(note)s") % {"note": note})
        self.stdout.write(report.summary())
        if report.file_error:
            raise CommandError(report.file_error)
        if report.rejected:
            raise CommandError(_("%(count)s row(s) rejected") % {"count": report.rejected})
