"""The ``acuevidence`` console script.

Core commands (``parse``, ``extract``, ``meta``, ``check``) run without Django
or a database. Every other command is a Django management command
(``acuevidence demo``, ``acuevidence fetch``, ``acuevidence directory ...``).
"""

from __future__ import annotations

import importlib
import os
import sys

CORE_COMMANDS = {
    "parse": "acuevidence.evidence.cli.parse",
    "extract": "acuevidence.evidence.cli.extract",
    "meta": "acuevidence.evidence.cli.meta",
    "check": "acuevidence.evidence.cli.check",
}


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a core command or to Django's management commands."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CORE_COMMANDS:
        from acuevidence.evidence.cli.common import run

        module = importlib.import_module(CORE_COMMANDS[args[0]])
        return run(module.main, args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acuevidence.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["acuevidence", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
