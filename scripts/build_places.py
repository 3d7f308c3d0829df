"""Build knowledge/places.csv and knowledge/counties.yaml from the GeoNames postal codes.

The code is bot/cli/build_places.py, installed as ``sozialhilfe-build-places`` too (``pip install -e .``);
``--help`` lists its options.
"""

from bot.cli.build_places import main

if __name__ == "__main__":
    raise SystemExit(main())
