"""Page weight and load times in the system Chromium on a throttled link (issue 13, "Light pages").

Serves the platform as production does: ``aldea serve`` (gunicorn, WhiteNoise's compressed
manifest static files, DEBUG off) on a SQLite database in a data folder of its own holding the
default demo (``aldea load_demo``, then ``aldea compute_analytics``, so the overview has its
equity and impact panels). Between Chromium and the server sits a small TCP relay that counts
every byte the server sends, the service worker's own fetches included (DevTools does not see
those from the page).

For every main page (the list of benchmarks/pages.py, and the MSME owner's /me/ page), as the
demo user whose page it is (signed in once through the login form; each new browser context
gets the session cookie, nothing else):

* **cold load**: a new browser context (empty HTTP cache, no service worker), one navigation:
  bytes transferred (the sum of DevTools' ``encodedDataLength``, headers included, of every
  response the page loaded; and the relay's count, with what the service worker fetches after
  the page loaded), time from the navigation's request to the load event, and to network idle
  (the last response of the page's own requests before 500 ms without any);
* **warm load**: the same context, a second navigation to the same address: time to the load
  event, bytes, and the static files that came from the network again (expected: none).

Each sample runs twice, throttled and unthrottled (the same run's baseline), with
``Network.emulateNetworkConditions`` on the page: 1.6 Mbps down, 750 kbps up, 150 ms latency (a
weak rural 3G link; DevTools' latency is added to every request). The service worker's own fetches
are not throttled (DevTools emulation applies to the page's target only); they come after the load
event of a cold load, and on a warm load only the field pages' HTML goes through it.

Goals (issue 13): every page's cold load at most 1 MB transferred; the overview's cold load at most
6 s on the throttled link; a warm load under 1 s. The table's last column says which are missed.

Example::

    PYTHONPATH=src .venv/bin/python benchmarks/weight.py --data-dir /tmp/aldea-weight
    PYTHONPATH=src .venv/bin/python benchmarks/weight.py --data-dir /tmp/aldea-weight --page overview --samples 30
"""

import argparse
import asyncio
import http.cookiejar
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "aldea-demo"
THROTTLED = {  # DevTools' units: bytes per second and milliseconds
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
GOAL_BYTES = 1_000_000
GOAL_OVERVIEW_COLD_S = 6.0
GOAL_WARM_S = 1.0
MIN_SAMPLES = 30
IDLE_MS = 500  # Playwright's "networkidle": no request for 500 ms
REQUEST_LINE = re.compile(rb"(?:^|\r\n)(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP/1\.[01]\r\n")


def p95(values):
    """Nearest rank: the value below which 95% of the samples lie."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the server ------------------------------------------------------------------------------

def server_environment(data_dir: Path) -> dict:
    key_file = data_dir / "bench-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env = {**os.environ, "ALDEA_DEBUG": "false", "ALDEA_DEMO": "false", "ALDEA_DATA_DIR": str(data_dir),
           "ALDEA_DATABASE_URL": "", "ALDEA_SECRET_KEY_FILE": str(key_file),
           "ALDEA_ALLOWED_HOSTS": "127.0.0.1,localhost", "ALDEA_PUBLIC_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("ALDEA_SECRET_KEY", None)
    return env


def aldea(*args, env):
    result = subprocess.run([sys.executable, "-m", "aldea", *args], env=env, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"aldea {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_data(data_dir: Path, env: dict):
    """Migrate, load the default demo and compute its analytics, once per data folder."""
    marker = data_dir / "bench-demo-loaded"
    if marker.exists():
        return
    started = time.perf_counter()
    aldea("migrate", "--verbosity", "0", env=env)
    aldea("load_demo", env=env)
    aldea("compute_analytics", env=env)
    marker.write_text("default demo, analytics computed\n")
    print(f"demo loaded and analysed in {time.perf_counter() - started:.0f} s", flush=True)


def pages_and_passwords(data_dir: Path) -> list[tuple[str, str | None, str]]:
    """The page list of benchmarks/pages.py, found in this data folder's demo, without the
    municipality card (a fragment the territory page fetches) and with the owner's /me/ page;
    the narrowed partner of benchmarks/api.py gets the demo password, so it can sign in."""
    os.environ["ALDEA_DATA_DIR"] = str(data_dir)
    os.environ["ALDEA_DATABASE_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "aldea.settings"  # not a test run's settings
    os.environ["ALDEA_DEBUG"] = "true"  # this process only reads the database: no secret key needed
    import django

    django.setup()
    import api as api_benchmark
    import pages as pages_benchmark

    from aldea.accounts.models import User

    api_benchmark.demo_users()
    partner = User.objects.get(username=api_benchmark.NARROWED_PARTNER)
    if not partner.has_usable_password():
        partner.set_password(DEMO_PASSWORD)
        partner.save(update_fields=["password"])
    pages = [page for page in pages_benchmark.pages_to_measure() if page[0] != "municipality card"]
    pages.append(("my page (owner)", "artesana", "/me/"))
    from django.db import connections

    connections.close_all()
    return pages


class Server:
    def __init__(self, data_dir: Path, env: dict, workers: int):
        self.port = free_port()
        self.log_path = data_dir / "bench-serve.log"
        self.log = open(self.log_path, "w+")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aldea", "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 900  # the first start collects and compresses the static files
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"aldea serve did not answer:\n{self.log_path.read_text()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


class CountingRelay:
    """A TCP relay in front of the server that counts the bytes each way: what crosses the
    phone's link, whoever asked (the page, or its service worker)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.down = 0
        self.up = 0
        self.paths: list[str] = []  # the request lines' paths, in the order the server got them
        self.last_activity = time.monotonic()
        self.open_connections = 0
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self.thread.start()
        started.wait()
        self.url = f"http://127.0.0.1:{self.port}"

    def _run(self, started):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        started.set()
        self.loop.run_forever()

    async def _pipe(self, reader, writer, downstream: bool):
        tail = b""
        try:
            while data := await reader.read(65536):
                if downstream:
                    self.down += len(data)
                else:
                    self.up += len(data)
                    # Request lines, also one cut between two reads (the tail of the last read).
                    seen = tail + data
                    self.paths += [match[1].decode() for match in REQUEST_LINE.finditer(seen)
                                   if match.end() > len(tail)]
                    tail = seen[-2000:]
                self.last_activity = time.monotonic()
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _client(self, client_reader, client_writer):
        self.open_connections += 1
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            await asyncio.gather(self._pipe(client_reader, server_writer, False),
                                 self._pipe(server_reader, client_writer, True))
        finally:
            self.open_connections -= 1

    def reset(self):
        self.down = self.up = 0
        self.paths = []

    def wait_quiet(self, seconds: float, timeout: float = 30):
        """Until no byte has crossed for ``seconds`` (the service worker's fetches done)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and time.monotonic() - self.last_activity < seconds:
            time.sleep(0.05)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)


def session_cookies(base: str, username: str) -> list[dict]:
    """Signs in through the login form, outside the browser, and returns the cookies to give a
    new browser context: it then starts with an empty cache, as a phone's first visit."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/") as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    with opener.open(request) as response:
        response.read()
    cookies = [{"name": c.name, "value": c.value, "url": base} for c in jar]
    if not any(c["name"] == "sessionid" for c in cookies):
        raise SystemExit(f"could not sign in as {username}")
    return cookies


# --- one load ---------------------------------------------------------------------------------

class NetworkLog:
    """DevTools' network events of one page, for one navigation at a time."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.clear()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Page.loadEventFired", self._load)
        cdp.on("Page.domContentEventFired", self._parsed)

    def clear(self):
        self.requests = {}
        self.document_sent_at = None
        self.load_at = None
        self.parsed_at = None

    def _sent(self, event):
        entry = self.requests.setdefault(event["requestId"], {"url": event["request"]["url"]})
        entry["type"] = event.get("type")
        if event.get("type") == "Document" and self.document_sent_at is None:
            self.document_sent_at = event["timestamp"]

    def _response(self, event):
        entry = self.requests.setdefault(event["requestId"], {"url": event["response"]["url"]})
        response = event["response"]
        entry["from_cache"] = bool(response.get("fromDiskCache") or response.get("fromPrefetchCache"))
        entry["from_service_worker"] = bool(response.get("fromServiceWorker"))
        entry["encoding"] = {k.lower(): v for k, v in response.get("headers", {}).items()}.get("content-encoding", "")

    def _finished(self, event):
        entry = self.requests.setdefault(event["requestId"], {"url": "?"})
        entry["bytes"] = event["encodedDataLength"]
        entry["ended_at"] = event["timestamp"]

    def _failed(self, event):
        entry = self.requests.setdefault(event["requestId"], {"url": "?"})
        entry["ended_at"] = event["timestamp"]

    def _load(self, event):
        if self.load_at is None:
            self.load_at = event["timestamp"]

    def _parsed(self, event):
        if self.parsed_at is None:
            self.parsed_at = event["timestamp"]

    def parsed_s(self) -> float:
        """To DOMContentLoaded: the page parsed and its deferred scripts (htmx, the offline
        queue) run; what waits for a blocking or deferred chart bundle."""
        return self.parsed_at - self.document_sent_at

    def transferred(self) -> int:
        return sum(entry.get("bytes", 0) for entry in self.requests.values())

    def load_s(self) -> float:
        return self.load_at - self.document_sent_at

    def idle_s(self) -> float:
        return max(entry.get("ended_at", 0) for entry in self.requests.values()) - self.document_sent_at

    def static_from_network(self) -> list[str]:
        """Static files that this navigation fetched from the server (not from a cache)."""
        return [entry["url"] for entry in self.requests.values()
                if "/static/" in entry["url"] and not is_favicon(entry["url"]) and entry.get("bytes", 0) > 0
                and not entry.get("from_cache") and not entry.get("from_service_worker")]


def is_favicon(url: str) -> bool:
    """The tab's icon: Chromium's favicon service fetches it after the load event, so whether the
    cold load's copy is cached before the next navigation is a race (1 KB, not the page's)."""
    return "/static/aldea/icons/aldea." in url and url.endswith(".svg")


def open_page(browser, base: str, cookies: list[dict], conditions: dict):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="es-MX")
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    log = NetworkLog(cdp)
    cdp.send("Page.enable")
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", conditions)
    return context, page, log


def navigate(page, log: NetworkLog, relay: CountingRelay, url: str) -> dict:
    log.clear()
    relay.reset()
    response = page.goto(url, wait_until="load", timeout=120_000)
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: HTTP {response and response.status}")
    page.wait_for_load_state("networkidle", timeout=120_000)
    relay.wait_quiet(IDLE_MS / 1000)
    # Our DevTools session's events may come after Playwright's own: wait until they are in.
    deadline = time.monotonic() + 10
    while (log.load_at is None or log.parsed_at is None) and time.monotonic() < deadline:
        page.wait_for_timeout(10)
    return {"bytes": log.transferred(), "wire": relay.down + relay.up, "load": log.load_s(), "idle": log.idle_s(), "parsed": log.parsed_s(),
            "static_again": sorted(set(log.static_from_network())
                                   | {relay.url + path for path in relay.paths
                                      if path.startswith("/static/") and not is_favicon(path)}),
            "requested": list(relay.paths),
            "by_url": {entry["url"]: (entry.get("bytes", 0), entry.get("encoding", "")) for entry in log.requests.values()}}


class ServiceWorkerThrottle:
    """DevTools' network emulation for the service workers of a context: emulation set on a page
    leaves out the worker's own fetches, and on a warm load the worker fetches the field pages
    (network first, sw.js). Playwright gives no DevTools session for a worker, so this attaches
    to it from the browser's session in the older non-flattened mode (messages inside messages)."""

    def __init__(self, browser_cdp):
        self.cdp = browser_cdp
        self.replies = set()
        browser_cdp.on("Target.receivedMessageFromTarget", self._reply)

    def _reply(self, event):
        message = json.loads(event["message"])
        if "id" in message:
            self.replies.add((event["sessionId"], message["id"]))

    def apply(self, page, page_cdp, conditions: dict) -> int:
        """Throttles the workers of the page's context; returns how many."""
        context_id = page_cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
        sessions = []
        for target in self.cdp.send("Target.getTargets")["targetInfos"]:
            if target["type"] == "service_worker" and target.get("browserContextId") == context_id:
                session = self.cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})
                sessions.append(session["sessionId"])
                for number, (method, params) in enumerate(
                        (("Network.enable", {}), ("Network.emulateNetworkConditions", conditions)), start=1):
                    self.cdp.send("Target.sendMessageToTarget", {"sessionId": session["sessionId"], "message": json.dumps(
                        {"id": number, "method": method, "params": params})})
        deadline = time.monotonic() + 10
        while any((session, 2) not in self.replies for session in sessions) and time.monotonic() < deadline:
            page.wait_for_timeout(10)  # lets Playwright deliver the replies
        return len(sessions)


def sample(browser, relay: CountingRelay, cookies, url: str, conditions: dict,
           workers: ServiceWorkerThrottle | None = None) -> tuple[dict, dict]:
    context, page, log = open_page(browser, relay.url, cookies, conditions)
    try:
        cold = navigate(page, log, relay, relay.url + url)
        cold["throttled_workers"] = workers.apply(page, log.cdp, conditions) if workers else 0
        warm = navigate(page, log, relay, relay.url + url)
    finally:
        context.close()
    return cold, warm


# --- the report ---------------------------------------------------------------------------------

def summarise(name, who, samples):
    """One row: medians and p95 of each figure, throttled, with ratios against unthrottled."""
    def values(condition, load, key):
        return [s[condition][load][key] for s in samples]

    row = {"page": name, "as": who or "public", "n": len(samples)}
    for condition in ("throttled", "unthrottled"):
        for load in ("cold", "warm"):
            for key in ("load", "idle", "parsed"):
                v = values(condition, load, key)
                row[f"{condition} {load} {key} p50"] = statistics.median(v)
                row[f"{condition} {load} {key} p95"] = p95(v)
    row["cold KB"] = statistics.median(values("throttled", "cold", "bytes")) / 1000
    row["cold wire KB"] = max(values("throttled", "cold", "wire")) / 1000
    row["cold KB max"] = max(values("throttled", "cold", "bytes") + values("unthrottled", "cold", "bytes")) / 1000
    row["warm KB"] = statistics.median(values("throttled", "warm", "bytes")) / 1000
    row["static again"] = sorted({u for s in samples for c in ("throttled", "unthrottled") for u in s[c]["warm"]["static_again"]})
    missed = []
    if max(row["cold KB max"], row["cold wire KB"]) > GOAL_BYTES / 1000:
        missed.append("1 MB")
    if name == "overview" and row["throttled cold load p95"] > GOAL_OVERVIEW_COLD_S:
        missed.append("6 s")
    if row["throttled warm load p95"] >= GOAL_WARM_S:
        missed.append("warm 1 s")
    row["goals"] = "met" if not missed else "missed: " + ", ".join(missed)
    return row


def print_table(rows):
    print("\nthrottled: 1.6 Mbps down, 750 kbps up, 150 ms latency (DevTools); ratio = throttled / unthrottled p50;"
          " p95 by nearest rank; KB = 1000 bytes")
    print("DCL: to DOMContentLoaded on a cold load (htmx and the page's forms work from then); load: to the load event;"
          " idle: to the page's last response before 500 ms without any")
    print("cold KB: DevTools' encodedDataLength of the page's responses (median); wire KB: every byte through the relay,"
          " the service worker's fetches included (maximum)")
    head = (f"{'page':<28} {'as':<13} {'n':>3} {'cold KB':>8} {'wire KB':>8} {'warm KB':>8}"
            f" {'DCL p50':>8} {'cold load p50':>13} {'p95':>6} {'ratio':>6} {'idle p50':>9} {'p95':>6}"
            f" {'warm p50':>9} {'p95':>6} {'ratio':>6}  goals")
    print(head)
    for r in rows:
        cold_ratio = r["throttled cold load p50"] / r["unthrottled cold load p50"]
        warm_ratio = r["throttled warm load p50"] / r["unthrottled warm load p50"]
        print(f"{r['page']:<28} {r['as']:<13} {r['n']:>3} {r['cold KB']:8.0f} {r['cold wire KB']:8.0f} {r['warm KB']:8.1f}"
              f" {r['throttled cold parsed p50']:7.2f}s {r['throttled cold load p50']:12.2f}s {r['throttled cold load p95']:5.2f}s {cold_ratio:6.1f}"
              f" {r['throttled cold idle p50']:8.2f}s {r['throttled cold idle p95']:5.2f}s"
              f" {r['throttled warm load p50']:8.2f}s {r['throttled warm load p95']:5.2f}s {warm_ratio:6.1f}  {r['goals']}")
    print("\nunthrottled baseline (s):")
    print(f"{'page':<28} {'cold load p50':>13} {'p95':>6} {'idle p50':>9} {'warm p50':>9} {'p95':>6}")
    for r in rows:
        print(f"{r['page']:<28} {r['unthrottled cold load p50']:13.3f} {r['unthrottled cold load p95']:6.3f}"
              f" {r['unthrottled cold idle p50']:9.3f} {r['unthrottled warm load p50']:9.3f} {r['unthrottled warm load p95']:6.3f}")
    again = {u for r in rows for u in r["static again"]}
    print(f"\nstatic files fetched from the network again on a warm load: {len(again)}"
          + ("" if not again else ": " + ", ".join(sorted(again))))


def print_breakdown(name, cold):
    print(f"\n{name}: cold load, what was transferred (bytes, encoding)")
    for url, (size, encoding) in sorted(cold["by_url"].items(), key=lambda item: -item[1][0]):
        print(f"  {size:>9,} {encoding or '-':<5} {urllib.parse.urlsplit(url).path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="the data folder (database, collected static files); reused when it holds the demo")
    parser.add_argument("--samples", type=int, default=MIN_SAMPLES,
                        help="cold and warm loads of the overview, each throttled and not (at least 30)")
    parser.add_argument("--other-samples", type=int, default=5, help="the same for every other page")
    parser.add_argument("--page", action="append", help="only the pages whose name contains this (repeatable)")
    parser.add_argument("--workers", type=int, default=2, help="aldea serve's worker processes")
    parser.add_argument("--breakdown", action="store_true", help="list each page's responses on its first cold load")
    parser.add_argument("--list-pages", action="store_true",
                        help="print the pages (name, user, URL) as JSON and stop (tests/web/test_page_weight_browser.py)")
    args = parser.parse_args(argv)
    if args.samples < MIN_SAMPLES:
        parser.error(f"--samples must be at least {MIN_SAMPLES}: a p95 of fewer loads is their maximum")
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing")
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="aldea-weight-")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = server_environment(data_dir)
    prepare_data(data_dir, env)
    pages = [p for p in pages_and_passwords(data_dir) if not args.page or any(part in p[0] for part in args.page)]
    if args.list_pages:
        print(json.dumps(pages))
        return
    server = Server(data_dir, env, args.workers)
    relay = CountingRelay(server.port)
    from playwright.sync_api import sync_playwright

    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            print(f"Chromium {browser.version}; aldea serve --workers {args.workers} on SQLite ({data_dir}); "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            workers = ServiceWorkerThrottle(browser.new_browser_cdp_session())
            cookies = {}
            for name, username, url in pages:
                if username and username not in cookies:
                    cookies[username] = session_cookies(relay.url, username)
                count = args.samples if name == "overview" else args.other_samples
                samples = []
                for _ in range(count):
                    one = {}
                    # Alternated, so that both conditions see the same moments of a shared machine.
                    for condition, network in (("throttled", THROTTLED), ("unthrottled", UNTHROTTLED)):
                        cold, warm = sample(browser, relay, cookies.get(username, []), url, network, workers)
                        one[condition] = {"cold": cold, "warm": warm}
                    samples.append(one)
                if args.breakdown:
                    print_breakdown(name, samples[0]["throttled"]["cold"])
                row = summarise(name, username, samples)
                rows.append(row)
                print(f"  {name}: {row['cold KB']:.0f} KB, DCL {row['throttled cold parsed p50']:.2f} s, "
                      f"cold {row['throttled cold load p50']:.2f} s (p95 {row['throttled cold load p95']:.2f}), "
                      f"warm {row['throttled warm load p50']:.2f} s (p95 {row['throttled warm load p95']:.2f}), "
                      f"unthrottled cold {row['unthrottled cold load p50']:.2f} s, warm {row['unthrottled warm load p50']:.2f} s"
                      f" ({count} samples)", flush=True)
            browser.close()
    finally:
        relay.stop()
        server.stop()
    print_table(rows)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
