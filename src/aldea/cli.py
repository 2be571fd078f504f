"""The `aldea` command: demo and analytics entry points, and every Django management command."""

import os
import sys

# Analytics commands run without Django: they must work on a machine with only data files.
ANALYTICS_COMMANDS = {"detect": "main_detect", "inequality": "main_inequality", "impact": "main_impact"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ANALYTICS_COMMANDS:
        from aldea.analytics import cli as analytics_cli

        return getattr(analytics_cli, ANALYTICS_COMMANDS[argv[0]])(argv[1:]) or 0
    if argv and argv[0] == "demo":
        # The demo runs on a laptop: debugging on, with a key generated into the data folder
        # (aldea.settings), unless the environment says otherwise.
        os.environ.setdefault("ALDEA_DEBUG", "true")
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
    if len(sys.argv) > 1 and sys.argv[1] in ANALYTICS_COMMANDS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
