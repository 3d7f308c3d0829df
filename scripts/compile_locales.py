"""Keep the interface catalogs in step with the code: extract, update bot/locales/*.po, compile .mo.

The code is bot/cli/compile_locales.py, installed as ``sozialhilfe-compile-locales`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.compile_locales import main

if __name__ == "__main__":
    raise SystemExit(main())
