"""Export offers.db as a county listing CSV, the format counties send us.

The code is bot/cli/export_offers.py, installed as ``sozialhilfe-export-offers`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.export_offers import main

if __name__ == "__main__":
    raise SystemExit(main())
