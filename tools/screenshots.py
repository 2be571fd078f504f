"""Screenshots of every main page with the demo data, for the README and docs/screenshots/.

Starts `aldea demo` on a fresh SQLite database in a temporary folder, logs in as each demo role
in the system Chromium and saves one PNG per page. Run with `make screenshots`.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("ALDEA_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "aldea-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo(data_dir: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "ALDEA_DATA_DIR": str(data_dir), "ALDEA_DATABASE_URL": "", "ALDEA_DEBUG": "true"}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aldea", "demo", "--port", str(port)], env=env,
        stdout=open(data_dir / "server.log", "w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"aldea demo stopped; see {data_dir / 'server.log'}")
            time.sleep(0.5)
    raise SystemExit("aldea demo did not answer in 5 minutes")


def first_link(page, fragment: str) -> str:
    return page.locator(f"a[href*='{fragment}']").first.get_attribute("href")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server, url = start_demo(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"],
                )

                def session(username: str | None, *, width: int = args.width, locale: str = "es-MX"):
                    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
                    page = context.new_page()
                    page.set_default_timeout(60_000)
                    if username:
                        page.goto(f"{url}/accounts/login/")
                        page.fill("#id_username", username)
                        page.fill("#id_password", PASSWORD)
                        page.click("form button[type=submit]")
                        page.wait_for_load_state("networkidle")
                    return page

                def shot(page, path: str, name: str):
                    page.goto(url + path if path.startswith("/") else path)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(800)  # let Plotly finish drawing
                    page.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
                    print(f"{name}.png  {path}")

                manager = session("coordinadora")
                shot(manager, "/programme/", "overview")
                shot(manager, "/territory/?state=20", "territory-map")
                shot(manager, "/programme/villages/", "villages")
                shot(manager, "/programme/village/teotitlan-del-valle/", "village")
                shot(manager, "/partners/", "partners")
                trainer = session("formador")
                shot(trainer, "/training/", "training-courses")
                cohort = first_link(trainer, "/training/cohort/")
                shot(trainer, cohort, "training-cohort")
                attendance = first_link(trainer, "/attendance/")
                mobile_trainer = session("formador", width=375)
                shot(mobile_trainer, attendance, "training-attendance-phone")
                consultant = session("consultora")
                shot(consultant, "/consultancy/", "consultancy-board")
                shot(consultant, first_link(consultant, "/consultancy/engagement/"), "engagement")
                shot(consultant, "/msmes/", "msmes")
                owner = session("artesana")
                shot(owner, "/msmes/", "msme-profile")
                public = session(None, width=375)
                shot(public, "/aldeas/teotitlan-del-valle/", "showcase-phone")
                shot(session("coordinadora", locale="pt-BR"), "/programme/", "overview-pt-br")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
