"""Report for admins: stale, incomplete and doubled offers in offers.db.

The code is bot/cli/report.py, installed as ``sozialhilfe-report`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.report import main

if __name__ == "__main__":
    raise SystemExit(main())
