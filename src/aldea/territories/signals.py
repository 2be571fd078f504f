"""Reference territories on a new database: ``aldea migrate`` loads them, no extra command.

A new installation cannot create a programme without a country, nor a village without its
municipality, so the first ``migrate`` loads the packaged countries (Mexico: INEGI Censo 2020 and
CONAPO 2020; Brazil: IBGE 2022). It does so only while the Country table is empty: a database
with any country has had its reference data chosen (or reloaded with ``aldea load_territories``)
and is left alone, so running ``migrate`` again costs one query.

Settings: ``LOAD_TERRITORIES_ON_MIGRATE`` (``ALDEA_LOAD_TERRITORIES``, on by default) turns it
off; the test suite does, since most tests build their own territories with factories.
"""

import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def load_reference_territories(sender=None, *, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None, **kwargs) -> list[str]:
    """post_migrate receiver: load the packaged countries into an empty Country table.

    Returns the codes of the countries loaded (none when the table already had a country, the
    table does not exist yet, e.g. after migrating backwards, or the setting is off).
    """
    if not getattr(settings, "LOAD_TERRITORIES_ON_MIGRATE", True):
        return []
    from aldea.territories.models import Country
    from aldea.territories.services import load_brazil_reference, load_mexico_reference

    if Country._meta.db_table not in connections[using].introspection.table_names():
        return []
    if Country.objects.using(using).exists():
        return []
    if using != DEFAULT_DB_ALIAS:
        # The loaders write to the default database only.
        return []
    loaded = []
    for code, loader in (("MX", load_mexico_reference), ("BR", load_brazil_reference)):
        started = time.monotonic()
        counts = loader()
        loaded.append(code)
        if verbosity and stdout is not None:
            stdout.write(f"  Loaded reference territories {code}: {counts['states']} states, "
                         f"{counts['municipalities']} municipalities ({time.monotonic() - started:.1f} s)\n")
    return loaded
