"""Response headers: Content-Security-Policy with nonces, no-store for signed-in users, request ids."""

import json
import logging
import re

import pytest

from aldea.ops.conf import logging_config
from aldea.ops.logs import JsonFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([^']+)'")


def overview(client):
    """The programme overview: charts, htmx, the language switch."""
    return client.get("/programme/", {"programme": "main"})


def test_pages_carry_a_policy_that_runs_only_their_own_scripts(world, client):
    client.force_login(world.manager)
    response = overview(client)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    page = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    data_blocks = [attrs for attrs in inline_scripts if 'type="application/json"' in attrs]
    assert data_blocks, "the overview's charts are data for the static chart script"
    executable = [attrs for attrs in inline_scripts if attrs not in data_blocks]
    if executable:  # any inline script left must carry the response's nonce
        nonce = NONCE.search(policy).group(1)
        assert all(f'nonce="{nonce}"' in attrs for attrs in executable), executable
    assert not re.search(r"\son[a-z]+=", page), "inline event handlers do not run under the policy"


def test_each_response_has_its_own_nonce(world, client):
    # The consultancy board has an inline script of its own, run by the response's nonce.
    client.force_login(world.manager)
    first = NONCE.search(client.get("/consultancy/")["Content-Security-Policy"])
    second = NONCE.search(client.get("/consultancy/")["Content-Security-Policy"])
    assert first and second and first.group(1) != second.group(1)


def test_signed_in_pages_are_never_stored_and_public_ones_may_be(world, client):
    public = client.get(f"/aldeas/{world.village.slug}/")
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(world.manager)
    for url in ("/accounts/security/", f"/aldeas/{world.village.slug}/", "/api/programmes/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_what_is_the_same_for_everyone_keeps_its_caching_for_a_signed_in_user(world, client):
    client.force_login(world.manager)
    boundaries = client.get("/territory/geo/states.geojson")
    assert boundaries.status_code == 200
    assert "no-store" not in boundaries["Cache-Control"] and "immutable" in boundaries["Cache-Control"]
    # The page that draws them is personal: never stored.
    assert "no-store" in client.get("/accounts/security/")["Cache-Control"]


def test_every_response_has_a_request_id_and_a_proxy_s_id_is_kept(client):
    own = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", own)
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c1e77")["X-Request-ID"] == "nginx-4f2a9c1e77"
    # Something that could forge a log line is replaced.
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nlevel=ERROR")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_the_access_log_has_one_line_a_request_with_its_id(client, caplog):
    logger = logging.getLogger("aldea.access")
    logger.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="aldea.access"):
            response = client.get("/healthz")
    finally:
        logger.setLevel(logging.WARNING)
    records = [r for r in caplog.records if r.name == "aldea.access"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert record.duration_ms >= 0 and record.user_id is None
    assert RequestIdFilter().filter(record) and record.request_id == response["X-Request-ID"]


def test_json_logs_are_one_object_a_line_with_the_request_id():
    token = request_id_var.set("req-12345678")
    try:
        record = logging.makeLogRecord({"name": "aldea.test", "levelname": "ERROR", "levelno": 40,
                                        "msg": "import of %s failed", "args": ("ventas.xlsx",), "status": 500})
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "import of ventas.xlsx failed" and entry["request_id"] == "req-12345678"
    assert entry["level"] == "ERROR" and entry["logger"] == "aldea.test" and entry["status"] == 500
    assert "\n" not in line


def test_the_log_format_is_checked():
    assert logging_config(level="INFO", log_format="json")["formatters"]["aldea"]["()"].endswith("JsonFormatter")
    with pytest.raises(Exception, match="ALDEA_LOG_FORMAT must be text or json"):
        logging_config(level="INFO", log_format="xml")


def test_the_client_address_is_the_proxy_s_forwarded_one_only_behind_the_https_proxy(rf, settings):
    from aldea.ops.middleware import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_address(request) == "127.0.0.1"  # a client could write the header itself
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_address(request) == "203.0.113.9"
