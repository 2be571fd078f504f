"""Settings refuse to run insecurely, and production variables pass `aldea check --deploy`."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from aldea.ops import conf

PRODUCTION = {
    "ALDEA_DEBUG": "",
    "ALDEA_PUBLIC_URL": "https://aldea.example.org",
    "ALDEA_ALLOWED_HOSTS": "",
}


def run_python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "aldea.settings", "ALDEA_DATA_DIR": str(tmp_path), **env}
    for name in [name for name, value in environment.items() if value is None]:
        environment.pop(name)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          timeout=120, check=False)


def production_env(**extra):
    return {**PRODUCTION, "ALDEA_SECRET_KEY": secrets.token_urlsafe(50), **extra}


def test_debugging_is_off_unless_asked_for(tmp_path):
    result = run_python("from django.conf import settings; print(settings.DEBUG)", tmp_path, **production_env())
    assert result.stdout.strip() == "False", result.stderr


def test_without_a_key_production_refuses_to_start_and_says_how_to_make_one(tmp_path):
    result = run_python("import django; django.setup()", tmp_path, **production_env(ALDEA_SECRET_KEY=None))
    assert result.returncode != 0
    assert "ALDEA_SECRET_KEY must be set" in result.stderr and "token_urlsafe" in result.stderr
    assert not (tmp_path / conf.LOCAL_KEY_NAME).exists()  # never a fallback key


def test_without_allowed_hosts_or_a_public_url_production_refuses_to_start(tmp_path):
    result = run_python("import django; django.setup()", tmp_path, **production_env(ALDEA_PUBLIC_URL=""))
    assert result.returncode != 0 and "ALDEA_ALLOWED_HOSTS must be set" in result.stderr


def test_the_public_url_gives_the_allowed_host_and_the_secure_settings(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_python(code, tmp_path, **production_env())
    assert result.stdout.strip() == (
        "['aldea.example.org'] True True True 31536000 ['https://aldea.example.org'] "
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    ), result.stderr


def test_check_deploy_reports_no_issues_with_production_variables(tmp_path):
    result = run_python(
        "import sys; from aldea.cli import main; sys.argv = ['aldea', 'check', '--deploy', '--fail-level', 'WARNING'];"
        " main(sys.argv[1:])",
        tmp_path, **production_env(),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_site_is_not_behind_https(tmp_path):
    result = run_python(
        "import sys; from aldea.cli import main; main(['check', '--deploy'])",
        tmp_path, **production_env(ALDEA_PUBLIC_URL="http://aldea.lan"),
    )
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


def test_the_secret_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 20 + secrets.token_urlsafe(40) + "\n")
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = run_python(code, tmp_path, **production_env(ALDEA_SECRET_KEY=None, ALDEA_SECRET_KEY_FILE=str(key_file)))
    assert result.stdout.strip() == key_file.read_text().strip(), result.stderr


def test_env_secret_refuses_both_a_value_and_a_file_and_names_a_missing_file(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="not both"):
        conf.env_secret("X", {"X": "a", "X_FILE": "b"})
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        conf.env_secret("X", {"X_FILE": str(tmp_path / "missing")})
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="is empty"):
        conf.env_secret("X", {"X_FILE": str(tmp_path / "empty")})
    assert conf.env_secret("X", {}) == ""


def test_debugging_runs_with_a_key_of_its_own_in_the_data_folder_never_a_published_one(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    first = run_python(code, tmp_path, ALDEA_DEBUG="true", ALDEA_SECRET_KEY=None)
    second = run_python(code, tmp_path, ALDEA_DEBUG="true", ALDEA_SECRET_KEY=None)
    key_file = tmp_path / conf.LOCAL_KEY_NAME
    stored = key_file.read_text().strip()
    assert first.stdout.split() == ["True", stored] == second.stdout.split(), first.stderr
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert "insecure" not in stored and len(stored) >= 50


def test_aldea_demo_runs_with_debugging_off_in_demo_mode(monkeypatch):
    from aldea import cli

    environment = {k: v for k, v in os.environ.items() if k not in {"ALDEA_DEBUG", "ALDEA_DEMO"}}
    monkeypatch.setattr(os, "environ", environment)
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: None)
    cli.main(["demo", "--no-serve"])
    assert environment["ALDEA_DEMO"] == "true"
    assert "ALDEA_DEBUG" not in environment
    environment.pop("ALDEA_DEMO")
    cli.main(["migrate"])
    assert "ALDEA_DEMO" not in environment


def test_demo_mode_makes_its_own_key_and_local_hosts_with_debugging_off(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS, len(settings.SECRET_KEY))"
    result = run_python(code, tmp_path, ALDEA_DEMO="true", ALDEA_DEBUG=None, ALDEA_SECRET_KEY=None,
                        ALDEA_ALLOWED_HOSTS=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['127.0.0.1', 'localhost'")
    assert (tmp_path / conf.LOCAL_KEY_NAME).exists()


def test_an_unreadable_public_url_is_named():
    with pytest.raises(ImproperlyConfigured, match="ALDEA_PUBLIC_URL must look like"):
        conf.secure_settings("aldea.example.org", hsts_seconds=1, hsts_preload=False)


def test_a_sentry_dsn_starts_error_reporting_without_personal_data():
    import sentry_sdk

    assert conf.init_error_reporting("", environment="test", release="0") is False
    try:
        assert conf.init_error_reporting("https://public@127.0.0.1:9/1", environment="test", release="0.1.0")
        client = sentry_sdk.get_client()
        assert client.is_active() and not client.options["send_default_pii"]
        assert client.options["include_local_variables"] is False
        assert client.options["environment"] == "test"
    finally:
        sentry_sdk.init(dsn=None)


def test_database_connections_are_kept_and_checked_or_left_to_a_pooler(tmp_path):
    code = ("from django.conf import settings; d = settings.DATABASES['default'];"
            " print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d.get('DISABLE_SERVER_SIDE_CURSORS', False))")
    url = "postgres://aldea@db.example.org:5432/aldea"
    kept = run_python(code, tmp_path, **production_env(ALDEA_DATABASE_URL=url))
    pooled = run_python(code, tmp_path, **production_env(ALDEA_DATABASE_URL=url, ALDEA_DATABASE_POOLED="true"))
    assert kept.stdout.split() == ["600", "True", "False"], kept.stderr
    assert pooled.stdout.split() == ["0", "True", "True"], pooled.stderr


def test_the_sqlite_file_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = ("import django; django.setup(); from django.db import connection, transaction;"
            "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0];"
            "c.execute('PRAGMA busy_timeout'); timeout = c.fetchone()[0];"
            "print(mode, timeout, connection.transaction_mode)")
    result = run_python(code, tmp_path, **production_env(ALDEA_DATABASE_URL=""))
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr


def test_mail_is_written_to_files_unless_an_smtp_host_is_given(tmp_path):
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND, getattr(settings, 'EMAIL_FILE_PATH', '-'))"
    files = run_python(code, tmp_path, **production_env())
    smtp = run_python(code, tmp_path, **production_env(ALDEA_EMAIL_HOST="smtp.example.org"))
    assert files.stdout.split() == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "sent-mail")]
    assert smtp.stdout.split()[0] == "django.core.mail.backends.smtp.EmailBackend"
