"""Fit the weights of the learned result order (bot.reorder).

The code is bot/cli/fit_reorder.py; ``--help`` lists its options.
"""

from bot.cli.fit_reorder import main

if __name__ == "__main__":
    raise SystemExit(main())
