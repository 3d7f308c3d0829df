"""Check knowledge/ and rebuild offers.db from it.

The code is bot/cli/sync_offers.py, installed as ``sozialhilfe-sync-offers`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.sync_offers import main

if __name__ == "__main__":
    raise SystemExit(main())
