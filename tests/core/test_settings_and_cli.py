import os
import subprocess
import sys

import pytest
from django.urls import reverse

from aldea.cli import main


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "aldea.settings", **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_production_mode_without_a_secret_key_refuses_to_start():
    result = run_python("import django; django.setup()", ALDEA_DEBUG="false", ALDEA_SECRET_KEY="", ALDEA_ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "ALDEA_SECRET_KEY must be set" in result.stderr


def test_production_mode_without_allowed_hosts_refuses_to_start():
    result = run_python("import django; django.setup()", ALDEA_DEBUG="false", ALDEA_SECRET_KEY="k" * 50, ALDEA_ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALDEA_ALLOWED_HOSTS must be set" in result.stderr


def test_a_malformed_boolean_is_named():
    result = run_python("import django; django.setup()", ALDEA_DEBUG="maybe")
    assert "ALDEA_DEBUG must be true or false" in result.stderr


def test_the_data_dir_and_database_url_come_from_the_environment(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = run_python(code, ALDEA_DATA_DIR=str(tmp_path), ALDEA_DATABASE_URL="")
    assert result.stdout.strip() == str(tmp_path / "aldea.sqlite3")


def test_aldea_runs_django_management_commands(capsys):
    main(["check"])
    assert "System check identified no issues" in capsys.readouterr().out


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]
