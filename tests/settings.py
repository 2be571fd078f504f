"""Settings for the test suite: Aldea's own, with DEBUG off as in production.

The environment is completed before aldea.settings reads it (pytest-django loads settings before
any conftest runs): a throw-away secret key and the hosts Django's test client and live server
use. Anything set in the real environment wins.
"""

import os
import secrets

os.environ.setdefault("ALDEA_SECRET_KEY", "tests-only-" + secrets.token_urlsafe(40))
os.environ.setdefault("ALDEA_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from aldea.settings import *

# A file, not SQLite's shared-cache memory database: threads and the live server then share the
# database as production's processes do (WAL, a busy timeout, immediate transactions), and a
# lock waits rather than failing at once.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    import tempfile

    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"aldea-tests-{os.getpid()}.sqlite3")}

# Plain storage: pages link unhashed names, so tests need no collectstatic. The hashed and
# compressed storage of production is tested on its own (tests/ops/test_static_files.py).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Most tests build their own territories with factories; the first-run load (aldea.territories.signals)
# has its own test, which turns this on.
LOAD_TERRITORIES_ON_MIGRATE = False
