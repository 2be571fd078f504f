"""The `aldea` command: demo and analytics entry points, and every Django management command."""

import os
import sys

# Analytics commands run without Django: they must work on a machine with only data files.
ANALYTICS_COMMANDS = {"detect": "main_detect", "inequality": "main_inequality", "impact": "main_impact"}


def is_analytics(argv: list[str]) -> bool:
    """Whether ``argv`` is a Django-free analytics command (``impact --programme`` reads the
    platform's database, so it is the Django command of that name)."""
    if not argv or argv[0] not in ANALYTICS_COMMANDS:
        return False
    return not (argv[0] == "impact" and any(a == "--programme" or a.startswith("--programme=") for a in argv[1:]))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if is_analytics(argv):
        from aldea.analytics import cli as analytics_cli

        return getattr(analytics_cli, ANALYTICS_COMMANDS[argv[0]])(argv[1:]) or 0
    if argv and argv[0] == "demo":
        # The demo runs on a laptop: a key generated into the data folder and the local host
        # names (aldea.settings), with debugging off, so it shows the site's own error pages.
        os.environ.setdefault("ALDEA_DEMO", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aldea.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aldea", *argv])
    return 0


def run() -> None:
    """The console script: ``main`` and exit.

    An analytics command ends with ``os._exit`` once its output is flushed and its
    engine closed (``main_detect``/``main_inequality`` close it): tearing down the
    hundreds of modules Ibis loads takes 0.1-0.3 s, as long as a whole small run, and
    nothing is left to clean up (mypy ends the same way).
    """
    code = main()
    if is_analytics(sys.argv[1:]):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
