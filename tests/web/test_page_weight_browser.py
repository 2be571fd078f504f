"""Page weight in the system Chromium against `aldea serve`, as production serves the pages
(issue 13, "Light pages"): every main page's first visit transfers at most 1 MB, the service
worker's own fetches included, and a second visit fetches no static file from the server again.

Bytes only, never time: the timings are benchmarks/weight.py's, on a throttled link. The pages,
the sign-in and the counting are the benchmark's own code, so the test checks what it measures.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "weight.py"
ONE_MB = 1_000_000


def load_benchmark():
    spec = importlib.util.spec_from_file_location("weight_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


weight = load_benchmark()


def page_list(data_dir: Path) -> list[tuple[str, str | None, str]]:
    """The benchmark's pages, found in the served demo by a process of their own (this one runs
    Django on the test settings and database)."""
    import json
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(BENCHMARK.parents[1] / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, str(BENCHMARK), "--data-dir", str(data_dir), "--list-pages"], env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return [tuple(page) for page in json.loads(result.stdout)]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The default demo served by `aldea serve` (hashed, compressed static files; DEBUG off),
    behind the benchmark's counting relay; and Chromium."""
    if not os.path.exists(weight.CHROMIUM):
        pytest.fail(f"{weight.CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    data_dir = tmp_path_factory.mktemp("weight")
    env = weight.server_environment(data_dir)
    weight.prepare_data(data_dir, env)
    pages = page_list(data_dir)
    server = weight.Server(data_dir, env, workers=2)
    relay = weight.CountingRelay(server.port)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=weight.CHROMIUM, args=["--no-sandbox"])
    try:
        yield browser, relay, pages
    finally:
        browser.close()
        playwright.stop()
        relay.stop()
        server.stop()


def test_every_main_page_loads_within_a_megabyte_and_again_without_static_files(served):
    browser, relay, pages = served
    assert len(pages) >= 15, pages
    cookies = {}
    heavy, refetched, weights = [], [], {}
    for name, username, url in pages:
        if username and username not in cookies:
            cookies[username] = weight.session_cookies(relay.url, username)
        cold, warm = weight.sample(browser, relay, cookies.get(username, []), url, weight.UNTHROTTLED)
        weights[name] = (cold["bytes"], cold["wire"])
        # The page's own responses, and everything that crossed the link: the service worker
        # keeps some pages for offline use by fetching them once more after they loaded.
        if max(cold["bytes"], cold["wire"]) > ONE_MB:
            heavy.append((name, cold["bytes"], cold["wire"]))
        if warm["static_again"]:
            refetched.append((name, warm["static_again"]))
        # The first visit fetched the chart bundle where the page has charts: the count is real.
        assert any(path.startswith("/static/") for path in cold["requested"]), (name, cold["requested"])
    assert heavy == [], weights
    assert refetched == []
