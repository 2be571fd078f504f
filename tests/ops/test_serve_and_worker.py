"""`aldea serve` (gunicorn) and `aldea worker` run as an operator runs them.

Two gunicorn workers are two processes writing one SQLite file: concurrent API deletes must all
succeed (WAL, a busy timeout and immediate transactions; issue 9's "database is locked" 500s).
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest

pytestmark = pytest.mark.slow

DEMO_PASSWORD = "aldea-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(data_dir: Path, **extra) -> dict:
    env = {**os.environ, "ALDEA_DEBUG": "false", "ALDEA_DATA_DIR": str(data_dir), "ALDEA_DATABASE_URL": "",
           "ALDEA_SECRET_KEY": "serve-test-" + "x7" * 30, "ALDEA_ALLOWED_HOSTS": "127.0.0.1,localhost", **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def aldea(*args, env) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "aldea", *args], env=env, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def request(url, *, method="GET", token=None, data=None, timeout=30):
    headers = {"Authorization": f"Token {token}"} if token else {}
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("served")
    env = environment(data_dir)
    aldea("migrate", "--verbosity", "0", env=env)
    aldea("load_demo", "--scale", "120", env=env)
    return data_dir, env


@pytest.fixture(scope="module")
def server(demo_site):
    data_dir, env = demo_site
    port = free_port()
    log = open(data_dir / "serve.log", "w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen([sys.executable, "-m", "aldea", "serve", "--port", str(port), "--workers", "2"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    # The first start collects and compresses the static files: a minute or two on a busy machine.
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        try:
            if request(f"{base}/healthz", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        log.seek(0)
        pytest.fail(f"aldea serve did not answer: {log.read()}")
    yield base, data_dir / "serve.log"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    log.close()


def token_for(base, username="admin"):
    status, _, body = request(f"{base}/api/auth/token/", method="POST",
                              data={"username": username, "password": DEMO_PASSWORD})
    assert status == 200, body
    return json.loads(body)["token"]


def test_serve_answers_pages_static_files_and_logs_each_request(server):
    base, log_path = server
    status, headers, _ = request(f"{base}/static/aldea/aldea.css")
    assert status == 200 and "text/css" in headers["Content-Type"]
    status, headers, body = request(f"{base}/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    request_id = headers["X-Request-ID"]
    time.sleep(0.5)
    log = log_path.read_text()
    assert "Booting worker" in log and "aldea" in log
    assert f"[{request_id}] GET /healthz 200" in log


def test_serve_links_hashed_static_files_and_sends_them_with_brotli_for_a_year(server):
    base, _ = server
    status, _, body = request(f"{base}/accounts/login/")
    assert status == 200
    css = re.search(r'href="(/static/aldea/aldea\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, body[:500]
    req = urllib.request.Request(base + css[1], headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(req, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert b"--" in brotli.decompress(response.read())  # the stylesheet's custom properties


def test_two_clients_deleting_at_once_on_sqlite_get_no_server_error(server):
    base, _ = server
    token = token_for(base)
    codes, url = [], f"{base}/api/enterprises/"
    while url:
        status, _, body = request(url, token=token)
        assert status == 200
        page = json.loads(body)
        codes += [row["code"] for row in page["results"]]
        url = page["next"]
    assert len(codes) >= 100
    statuses: list[int] = []
    lock = threading.Lock()

    def delete_all(mine):
        for code in mine:
            status, _, _ = request(f"{base}/api/enterprises/{code}/", method="DELETE", token=token, timeout=60)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=delete_all, args=(codes[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert sorted(set(statuses)) == [204], statuses
    assert len(statuses) == len(codes)
    status, _, body = request(f"{base}/api/enterprises/", token=token)
    # A cursor page (the large lists carry no count): an empty first page means no row is left.
    assert status == 200 and json.loads(body)["results"] == [] and json.loads(body)["next"] is None


def test_the_worker_runs_queued_tasks_and_beats(demo_site):
    _data_dir, env = demo_site
    enqueue = (
        "import django; django.setup();"
        "from aldea.reporting.tasks import compute_analytics; print(compute_analytics.enqueue().id)"
    )
    task_id = subprocess.run([sys.executable, "-c", enqueue], env={**env, "DJANGO_SETTINGS_MODULE": "aldea.settings"},
                             capture_output=True, text=True, timeout=120, check=True).stdout.strip()

    aldea("worker", "--batch", env=env)

    check = (
        "import django; django.setup();"
        "from django_tasks_db.models import DBTaskResult; from aldea.ops.models import WorkerHeartbeat;"
        f"print(DBTaskResult.objects.get(id='{task_id}').status, WorkerHeartbeat.objects.count())"
    )
    result = subprocess.run([sys.executable, "-c", check], env={**env, "DJANGO_SETTINGS_MODULE": "aldea.settings"},
                            capture_output=True, text=True, timeout=120, check=True)
    # The task ran, and the worker removed its heartbeat when it stopped cleanly.
    assert result.stdout.split() == ["SUCCESSFUL", "0"], result.stderr
