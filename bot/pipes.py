"""A command whose reader goes away (``python -m bot answer … | head``, ``report.py | head``) ends quietly.

Python raises BrokenPipeError at the next write and again when it flushes stdout at exit; the
reader has what it wanted, so the command says nothing more and exits 0. ``python -m bot`` wraps
its subcommands with :func:`run_quietly`; the admin scripts' ``main`` functions (``bot.cli.*``, run
as ``scripts/*.py`` and as console scripts) carry :func:`ends_quietly`.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Protocol


def run_quietly(main: Callable[[], int | None]) -> int:
    """``main()``'s exit code; 0 without a traceback when stdout's reader has gone."""
    try:
        code = int(main() or 0)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


class Main(Protocol):
    """A command's ``main``: its arguments (``None``: ``sys.argv[1:]``, as argparse reads them) -> exit code."""

    def __call__(self, argv: list[str] | None = None, /) -> int: ...


def ends_quietly(main: Main) -> Main:
    """``main`` run through :func:`run_quietly`: the same function for ``scripts/X.py``, its console
    script (which calls it without arguments) and the tests (which pass ``argv``)."""

    @functools.wraps(main)
    def quiet_main(argv: list[str] | None = None) -> int:
        return run_quietly(lambda: main(argv))

    return quiet_main
