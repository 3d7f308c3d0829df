"""Import Open Referral HSDS data into the knowledge base.

The code is bot/cli/import_hsds.py, installed as ``sozialhilfe-import-hsds`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.import_hsds import main

if __name__ == "__main__":
    raise SystemExit(main())
