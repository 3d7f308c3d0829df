"""Measure the crisis check beside the patterns alone, in one run.

The code is bot/cli/evaluate_crisis.py, installed as ``sozialhilfe-evaluate-crisis`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.evaluate_crisis import main

if __name__ == "__main__":
    raise SystemExit(main())
