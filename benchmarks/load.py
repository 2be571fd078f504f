"""Aldea under load: `aldea serve` with 2 workers on PostgreSQL, 16 concurrent clients.

Every request opens a new TCP connection (``Connection: close``), as many browsers behind a
field office's proxy or a monitoring probe do; the failure this guards against is one database
connection per client connection (issue 14: runserver used up PostgreSQL's 100 connections).

The run:

1. starts ``aldea serve --workers 2`` on a free port of 127.0.0.1 against ``ALDEA_DATABASE_URL``
   (the demo programme must be loaded there: ``aldea load_demo``);
2. signs in the demo's manager and consultant through the login form, and gets an API token;
3. measures each URL unloaded, one client, ``--baseline`` requests each (the same run's baseline);
4. sends ``--requests`` requests from ``--clients`` threads, round-robin over the URLs, while a
   thread samples ``pg_stat_activity`` every 0.1 s;
5. prints errors, p50/p95 per URL (loaded, and as a ratio of the unloaded p50), throughput, and
   the most connections to the database seen at once. Exits 1 when a goal is missed.

Example::

    createdb -h 127.0.0.1 -U postgres aldea_load
    export ALDEA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aldea_load
    ALDEA_DEBUG=true .venv/bin/aldea migrate && ALDEA_DEBUG=true .venv/bin/aldea load_demo
    .venv/bin/python benchmarks/load.py

The requests go to 127.0.0.1 only, are bounded in number, and the server is stopped at the end.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "aldea-demo"
GOAL_MAX_CONNECTIONS = 50


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=30, help="unloaded requests per URL (default 30)")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """One request per new connection to 127.0.0.1:port, with the cookies of one signed-in user."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def log_in(self, username: str) -> "Client":
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        status, _ = self.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"})
        if status != 302:
            raise SystemExit(f"could not log in as {username} (status {status}); is the demo loaded?")
        return self


def api_token(port: int, username: str) -> str:
    body = json.dumps({"username": username, "password": DEMO_PASSWORD, "name": "load benchmark"}).encode()
    status, content = Client(port).request("POST", "/api/auth/token/", body=body,
                                           headers={"Content-Type": "application/json"})
    if status != 200:
        raise SystemExit(f"no API token for {username}: {status} {content[:200]!r}")
    return json.loads(content)["token"]


def database_connections(database_url: str, database: str) -> int:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as db:
        return db.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)).fetchone()[0]


def sample_connections(database_url: str, database: str, stop: threading.Event, samples: list[int]) -> None:
    import psycopg

    # One connection of our own, opened before the load and not counted.
    with psycopg.connect(database_url, autocommit=True) as db:
        while not stop.is_set():
            count = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,)
            ).fetchone()[0]
            samples.append(count)
            stop.wait(0.1)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_server(port: int, workers: int, environment: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "aldea", "serve", "--port", str(port), "--workers", str(workers), "--no-access-log"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 400  # the first start collects and compresses the static files
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"aldea serve did not start: {process.stderr.read()}")


def main(argv=None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("ALDEA_DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set ALDEA_DATABASE_URL to the PostgreSQL database holding the demo (see --help)")
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    port = free_port()
    environment = {
        **os.environ, "ALDEA_DEBUG": "false", "ALDEA_SECRET_KEY": secrets.token_urlsafe(50),
        "ALDEA_ALLOWED_HOSTS": "127.0.0.1", "ALDEA_DATA_DIR": os.environ.get("ALDEA_DATA_DIR", str(ROOT / "var")),
    }
    load_at_start = os.getloadavg()[0]
    before = database_connections(database_url, database)
    server = start_server(port, args.workers, environment)
    try:
        manager = Client(port).log_in("coordinadora")
        consultant = Client(port).log_in("consultora")
        token = api_token(port, "coordinadora")
        api_headers = {"Authorization": f"Token {token}"}
        targets = [
            ("overview", manager, "/programme/", {}),
            ("villages list", manager, "/programme/villages/", {}),
            ("consultancy board", consultant, "/consultancy/", {}),
            ("MSME list", manager, "/msmes/", {}),
            ("API enterprises (token)", Client(port), "/api/enterprises/", api_headers),
            ("healthz", Client(port), "/healthz", {}),
        ]

        def timed(target):
            name, client, path, headers = target
            started = time.perf_counter()
            try:
                status, _ = client.request("GET", path, headers=headers)
            except OSError as exc:
                status = f"{exc.__class__.__name__}"
            return name, status, (time.perf_counter() - started) * 1000

        baseline = defaultdict(list)
        for _ in range(args.baseline):
            for target in targets:
                name, status, ms = timed(target)
                if status != 200:
                    raise SystemExit(f"{name} answered {status} before the load")
                baseline[name].append(ms)

        work = [targets[i % len(targets)] for i in range(args.requests)]
        lock = threading.Lock()
        results: list[tuple[str, object, float]] = []
        samples: list[int] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_connections, args=(database_url, database, stop, samples))
        sampler.start()

        def client_loop():
            while True:
                with lock:
                    if not work:
                        return
                    target = work.pop()
                outcome = timed(target)
                with lock:
                    results.append(outcome)

        started = time.perf_counter()
        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    errors = [(name, status) for name, status, _ in results if status != 200]
    by_name = defaultdict(list)
    for name, _status, ms in results:
        by_name[name].append(ms)
    every = [ms for _, _, ms in results]
    print(f"# {os.cpu_count()} CPUs, shared with the clients; load average at start {load_at_start:.1f}")
    print(f"aldea serve --workers {args.workers}, {args.clients} clients, {len(results)} requests, "
          f"a new connection each, in {elapsed:.1f} s ({len(results) / elapsed:.0f} requests/s)")
    print(f"{'URL':<26}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'unloaded p50':>14}{'p50 ratio':>11}")
    for name, _client, _path, _headers in targets:
        values, alone = by_name[name], baseline[name]
        print(f"{name:<26}{len(values):>5}{percentile(values, 0.5):>9.0f}{percentile(values, 0.95):>9.0f}"
              f"{statistics.median(alone):>14.0f}{percentile(values, 0.5) / statistics.median(alone):>11.1f}")
    print(f"{'all':<26}{len(every):>5}{percentile(every, 0.5):>9.0f}{percentile(every, 0.95):>9.0f}")
    print(f"errors: {len(errors)}" + (f" {errors[:10]}" if errors else ""))
    most = max(samples) if samples else 0
    print(f"database connections to {database}: {before} before the server started, at most {most} during the load "
          f"({len(samples)} samples of pg_stat_activity; goal <= {GOAL_MAX_CONNECTIONS})")
    return 0 if not errors and most <= GOAL_MAX_CONNECTIONS else 1


if __name__ == "__main__":
    sys.exit(main())
