"""Export offers.db as Open Referral HSDS 3.0, for counties and partner portals.

The code is bot/cli/export_hsds.py, installed as ``sozialhilfe-export-hsds`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.export_hsds import main

if __name__ == "__main__":
    raise SystemExit(main())
