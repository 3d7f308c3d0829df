"""Command lines, each module with ``main(argv) -> int``: the subcommands of ``python -m bot`` (run, chat,
answer, search, hours) and the code of ``scripts/*.py`` (``bot.cli.sync_offers`` for ``scripts/sync_offers.py``,
installed as ``sozialhilfe-sync-offers``)."""
