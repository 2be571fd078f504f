"""The URL of the platform's database as the analytics engine connects to it.

The analytics (``aldea.analytics.platform``) read the platform's tables in place through an
Ibis backend of their own, so they need a URL, not Django's connection. It is built from the
connection's settings rather than read from ``settings.DATABASE_URL``, because under test (and
for any alias but the default) Django talks to another database than the one that URL names.
"""

from __future__ import annotations

from urllib.parse import quote

from django.db import connections


class DatabaseNotReachable(RuntimeError):
    """The database cannot be opened by a second connection (an in-memory SQLite database)."""


def database_url(alias: str = "default") -> str:
    """``sqlite:////abs/path`` or ``postgresql://user:password@host:port/name`` of ``alias``.

    Raises DatabaseNotReachable for an in-memory SQLite database, which exists only inside
    Django's own connection, and for an engine the analytics do not read.
    """
    settings = connections[alias].settings_dict
    engine, name = settings["ENGINE"], str(settings["NAME"])
    if engine == "django.db.backends.sqlite3":
        if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            raise DatabaseNotReachable("the analytics need the SQLite database in a file, not in memory")
        return f"sqlite:///{name}"
    if engine in ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"):
        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        if host.startswith("/"):  # a Unix socket directory
            return f"postgresql://{login}/{quote(name, safe='')}?host={quote(host, safe='')}"
        return f"postgresql://{login}{host}{port}/{quote(name, safe='')}"
    raise DatabaseNotReachable(f"the analytics cannot read a database of engine {engine}")
