"""Measure the search on a question set, beside two baselines, in one run.

The code is bot/cli/evaluate.py, installed as ``sozialhilfe-evaluate`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.evaluate import main

if __name__ == "__main__":
    raise SystemExit(main())
