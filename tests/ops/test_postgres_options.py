"""Aldea's PostgreSQL connections run without JIT compilation unless asked (decision O20), and
behind a pooler they send no start-up option it could refuse."""

import os
from urllib.parse import urlsplit

import pytest

from aldea.ops import conf
from tests.ops.test_secure_settings import run_python

SHOW_JIT = (
    "import django; django.setup()\n"
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW jit'); print(cursor.fetchone()[0])\n"
)
# The server of the suite's PostgreSQL pass (its maintenance database, which always exists), else
# the machine's (.ci/run starts it for both passes).
_url = urlsplit(os.environ.get("ALDEA_DATABASE_URL", ""))
SERVER = (_url._replace(path="/postgres").geturl() if _url.scheme.startswith("postgres")
          else "postgres://postgres@127.0.0.1:5432/postgres")


def test_the_options_turn_jit_off_except_when_asked_or_behind_a_pooler():
    assert conf.postgres_options(jit=False, pooled=False) == {"options": "-c jit=off"}
    assert conf.postgres_options(jit=True, pooled=False) == {}
    assert conf.postgres_options(jit=False, pooled=True) == {}


@pytest.mark.parametrize(("jit", "shown"), [(None, "off"), ("true", "on")])
def test_a_connection_shows_the_jit_setting_it_was_opened_with(tmp_path, jit, shown):
    result = run_python(SHOW_JIT, tmp_path, ALDEA_DEBUG="true", ALDEA_DATABASE_URL=SERVER, ALDEA_DATABASE_JIT=jit)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == shown
