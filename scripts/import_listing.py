"""Import a county listing (CSV) into the knowledge base.

The code is bot/cli/import_listing.py, installed as ``sozialhilfe-import-listing`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.import_listing import main

if __name__ == "__main__":
    raise SystemExit(main())
