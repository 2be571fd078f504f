"""`aldea feed --channel google|meta|mercadolibre|shopify|amazon [--village SLUG] [--seller-id ID] --out FILE`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aldea.interop.feeds import CHANNELS, write_feed


class Command(BaseCommand):
    help = ("Write a marketplace product feed. Products missing a field the channel requires are left "
            "out and listed with the fix; what could not be checked is printed as a note. Exits 1 when any "
            "product was left out.")

    def add_arguments(self, parser):
        parser.add_argument("--channel", choices=CHANNELS, required=True)
        parser.add_argument("--village", help="only this village's products")
        parser.add_argument("--out", required=True)
        parser.add_argument("--base-url", default=settings.PUBLIC_URL,
                            help="public address of the showcase, for product links")
        parser.add_argument("--seller-id", default="",
                            help="amazon: the merchant token the feed's header names (Seller Central, Account info)")

    def handle(self, *args, channel, village, out, base_url, seller_id, **options):
        try:
            report = write_feed(channel, out, village=village, base_url=base_url, seller_id=seller_id)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stdout.write(str(problem))
        for note in report.warnings:
            self.stdout.write(f"note: {note}")
        self.stdout.write(report.summary())
        if report.left_out:
            raise CommandError(f"{report.left_out} product(s) left out of the {channel} feed")
