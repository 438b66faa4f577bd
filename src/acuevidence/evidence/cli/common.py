"""What every core command shares: input errors that exit with status 2, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

EXIT_INPUT_ERROR = 2


class InputError(Exception):
    """Bad user input; the message names the file, row and column so the user can fix it."""


def print_json(obj: Any) -> None:
    """Write one JSON object on one line to standard output."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n")


def run(main: Callable[[list[str]], int], argv: list[str]) -> int:
    """Run a command's ``main``; turn an :class:`InputError` into a message and status 2."""
    try:
        return main(argv)
    except InputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_INPUT_ERROR
