from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aldea.territories.services import (
    PACKAGED,
    TerritoryFileError,
    install_states_geometry,
    load_brazil_reference,
    load_country_reference,
    load_mexico_reference,
    read_reference_csv,
)


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load territory reference data. Packaged: Mexico (default; 32 states, 2,469 municipalities, "
        "INEGI Censo 2020 and CONAPO 2020) and Brazil (--country BR; 27 states, 5,570 municipalities, "
        "IBGE 2022). Any other country from a CSV of municipalities and a GeoJSON of its states: "
        "--country CO --name Colombia --currency COP --csv municipios.csv --geojson departamentos.geojson "
        "(docs/data-contracts.md, Territories). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", default="MX",
                            help="ISO code: MX or BR for packaged data, 'all' for both, or any code with --csv")
        parser.add_argument("--csv", help="municipalities CSV (state_code, state_name, municipality_code, "
                                          "municipality_name, population, ...)")
        parser.add_argument("--geojson", help="GeoJSON FeatureCollection of the country's states")
        parser.add_argument("--code-property", default="state_code",
                            help="GeoJSON property holding the state code (default state_code)")
        parser.add_argument("--name", help="country name (with --csv, for a new country)")
        parser.add_argument("--currency", help="ISO 4217 currency (with --csv, for a new country)")
        parser.add_argument("--source", default="", help="source and licence to record on each area")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    def handle(self, *args, country, csv, geojson, code_property, name, currency, source, dry_run, **options):
        country = country.upper()
        if csv:
            jobs = [(country, self._from_files(country, csv, geojson, code_property, name, currency,
                                               source, dry_run))]
        else:
            if geojson:
                raise CommandError("--geojson goes with --csv")
            codes = list(PACKAGED) if country == "ALL" else [country]
            unknown = [c for c in codes if c not in PACKAGED]
            if unknown:
                raise CommandError(f"no packaged data for {', '.join(unknown)}: give --csv (and --geojson)")
            loaders = {"MX": load_mexico_reference, "BR": load_brazil_reference}
            jobs = [(code, loaders[code]) for code in codes]
        for code, loader in jobs:
            try:
                with transaction.atomic():
                    counts = loader()
                    if dry_run:
                        raise _DryRun
            except _DryRun:
                pass
            except TerritoryFileError as exc:
                raise CommandError(str(exc)) from exc
            prefix = "Dry run, nothing written. " if dry_run else ""
            label = {"MX": "Mexico", "BR": "Brazil"}.get(code, code)
            self.stdout.write(
                prefix + f"{label}: " + "{states} states ({states_created} created, {states_updated} updated), "
                "{municipalities} municipalities ({municipalities_created} created, "
                "{municipalities_updated} updated)".format(**counts)
            )

    def _from_files(self, country, csv, geojson, code_property, name, currency, source, dry_run):
        if not geojson:
            raise CommandError("--csv needs --geojson: the states' geometry draws the map")
        if len(country) != 2 or not country.isalpha():
            raise CommandError(f"--country must be a two-letter ISO code, not {country!r}")
        try:
            rows = read_reference_csv(csv)
            states = {row["state_code"] for row in rows}
            install_states_geometry(country_code=country, geojson=geojson, code_property=code_property,
                                    state_codes=states, dry_run=dry_run)
        except (TerritoryFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        from aldea.territories.models import Country

        if not Country.objects.filter(code=country).exists() and not (name and currency):
            raise CommandError(f"{country} is a new country: give --name and --currency")
        existing = Country.objects.filter(code=country).first()

        def load():
            return load_country_reference(
                country_code=country, country_name=name or existing.name,
                currency=(currency or existing.currency).upper(), rows=rows, source=source or csv)

        return load
