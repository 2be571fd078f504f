"""`aldea xlsform --form registration|diagnostic|outcome|attendance --out FILE.xlsx`."""

from django.core.management.base import BaseCommand

from aldea.interop.xlsform import FORMS, write_xlsform


class Command(BaseCommand):
    help = "Write an XLSForm (Spanish, Portuguese, English) for KoboToolbox or ODK."

    def add_arguments(self, parser):
        parser.add_argument("--form", choices=FORMS, required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, form, out, **options):
        write_xlsform(form, out)
        self.stdout.write(f"wrote the {form} form to {out}")
