"""`aldea demo` as the README's first command runs it: debugging off, the site's own error pages.

Starts the real command on a fresh data folder, without the test suite's secret key or host list
(the demo makes its own), and asks it for a page that does not exist in each language.
"""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

NOT_FOUND = {"es-MX": "Página no encontrada", "pt-BR": "Página não encontrada", "en": "Page not found"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, language: str = "es-MX") -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def demo_server(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in {"ALDEA_SECRET_KEY", "ALDEA_ALLOWED_HOSTS", "ALDEA_DEBUG", "ALDEA_DEMO",
                          "DJANGO_SETTINGS_MODULE"}}
    env.update({"ALDEA_DATA_DIR": str(tmp_path), "ALDEA_DATABASE_URL": "",
                "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(tmp_path / "demo.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", "from aldea.cli import run; run()", "demo", "--port", str(port), "--scale", "16"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(1200):
                if server.poll() is not None:
                    pytest.fail("aldea demo stopped:\n" + (tmp_path / "demo.log").read_text())
                try:
                    get(f"{url}/healthz")
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                pytest.fail("aldea demo did not answer in 10 minutes")
            yield url, tmp_path / "demo.log"
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.slow
def test_the_demo_serves_the_sites_own_not_found_page_in_each_language(demo_server):
    url, log = demo_server
    for language, heading in NOT_FOUND.items():
        status, body, _headers = get(f"{url}/no-such-page/", language)
        assert status == 404
        assert heading in body
        assert "URLconf" not in body and "DEBUG = True" not in body  # not Django's debug page
    # The page's stylesheet is served, under its hashed name, compressed and cached for a year.
    _status, login, _headers = get(f"{url}/accounts/login/")
    stylesheet = re.search(r'href="(/static/aldea/aldea\.[0-9a-f]{12}\.css)"', login)
    assert stylesheet, "the login page links no hashed stylesheet"
    status, _css, headers = get(url + stylesheet.group(1))
    assert status == 200
    assert "immutable" in headers.get("Cache-Control", "")
    console = log.read_text()
    assert "Accesos de demostración" in console and "msme_owner" not in console
    # A worker runs beside it, so queued work (a funder report, a large upload) gets done.
    with sqlite3.connect(log.parent / "aldea.sqlite3") as db:
        for _ in range(60):
            if db.execute("SELECT count(*) FROM ops_workerheartbeat").fetchone()[0]:
                break
            time.sleep(1)
        else:
            pytest.fail("no worker beats beside the demo")
