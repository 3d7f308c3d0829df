"""Command line: ``python -m bot [run|chat|answer|search|hours] ...``.

Each subcommand lives in its own module under ``bot.cli`` and is imported only
when chosen, so ``search``, ``answer`` and ``hours`` never import aiogram.
Without a subcommand the bot starts: long polling when ``BOT_TOKEN`` is set,
otherwise the terminal chat on the shipped database; the settings read to choose
are the ones the chosen command runs with. A subcommand reads its own settings.
"""

from __future__ import annotations

import importlib
import sys

from bot.pipes import run_quietly

COMMANDS = {
    "run": "bot.cli.run",
    "chat": "bot.cli.chat",
    "answer": "bot.cli.answer",
    "search": "bot.cli.search",
    "hours": "bot.cli.hours",
}

USAGE = "usage: python -m bot [run|chat|answer|search|hours] ...  (without a command: run or chat)"


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the chosen subcommand's ``main(argv)`` and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from bot.settings import load_settings

        settings = load_settings()
        if isinstance(settings, str):
            print(settings, file=sys.stderr)
            return 2
        token = settings.bot_token.get_secret_value() if settings.bot_token is not None else ""
        module = importlib.import_module(COMMANDS["run" if token else "chat"])
        return run_quietly(lambda: module.main(args, settings))
    if args[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if args[0] in COMMANDS:
        name = args.pop(0)
    else:
        print(USAGE, file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name])
    return run_quietly(lambda: module.main(args))  # "python -m bot answer ... | head" ends quietly


if __name__ == "__main__":
    sys.exit(main())
