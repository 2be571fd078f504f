"""The `aldea` command: demo and analytics entry points, and every Django management command."""

import os
import sys

# Analytics commands run without Django: they must work on a machine with only data files.
ANALYTICS_COMMANDS = {"detect": "main_detect", "inequality": "main_inequality"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ANALYTICS_COMMANDS:
        from aldea.analytics import cli as analytics_cli

        return getattr(analytics_cli, ANALYTICS_COMMANDS[argv[0]])(argv[1:]) or 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aldea.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aldea", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
