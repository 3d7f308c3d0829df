"""Fixtures shared by the whole suite, and the split into the fast default run and the slow tests.

``python -m pytest`` runs the fast set: tests marked ``slow`` (real processes, the
10,000-update fuzz, whole-listing imports and syncs) are deselected. ``--all`` runs
everything (the README's command, which ``.ci/run`` runs); an explicit ``-m`` chooses by
itself (``-m slow`` runs only the slow ones).

The synthetic search databases (fictional listings, built the product's way) and the
redis-server are built once per session in pytest's temporary folders.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Store
from tests import generalisation_fixtures, probe_fixtures
from tests.redis_server import redis_server
from tests.search_fixtures import build_search_db
from tests.shipped import SHIPPED

#: The checkout under test.
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Subprocesses import ``bot`` from the checkout under test. ``python scripts/X.py`` imports the
    installed package, and ``pip install -e .`` may point at another checkout (or at none)."""
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--all", action="store_true", dest="run_all",
                     help="also run the tests marked slow (deselected by default)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the slow tests unless ``--all`` or a ``-m`` expression asks for a selection of its own."""
    if config.getoption("run_all") or config.getoption("markexpr"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.getoption("run_all") or config.getoption("markexpr"):
        return None
    return "the tests marked slow are deselected; --all runs the whole suite"


# -- the shipped offers.db (tests/shipped.py) ---------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Iterator[Store]:
    """The shipped offers.db, read as the bot reads it."""
    store = Store(SHIPPED)
    yield store
    store.conn.close()


# -- synthetic search databases (tests/search_fixtures.py and the blind listings) ----------------------


@pytest.fixture(scope="session")
def search_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional Ilm-Kreis / Weimarer Land listing alone, imported and synced (a few seconds)."""
    return build_search_db(tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="session")
def probe_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """knowledge/ and its offers plus the blind Werra-Meißner / Kassel / Wartburgkreis listing."""
    return build_search_db(tmp_path_factory.mktemp("probe"), write=probe_fixtures.write_listing,
                           stem=probe_fixtures.STEM, with_offers=True)


@pytest.fixture(scope="session")
def generalisation_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """knowledge/ and its offers plus the blind Gotha / Saale-Holzland listing."""
    return build_search_db(tmp_path_factory.mktemp("generalisation"), write=generalisation_fixtures.write_listing,
                           stem=generalisation_fixtures.STEM, with_offers=True)


# -- the state store on SQLite and on a real redis-server (tests/redis_server.py) ----------------------


@pytest.fixture(scope="session")
def redis_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One redis-server for the test session (the state store's tests); skipped without the binary."""
    with redis_server(tmp_path_factory.mktemp("redis-state")) as url:
        yield url


@pytest.fixture
def redis_state(redis_server_url: str) -> Iterator[object]:
    """A :class:`bot.botstate.RedisState` on an emptied database."""
    from bot.botstate import RedisState

    state = RedisState(redis_server_url)
    state.r.flushdb()
    yield state
    state.r.flushdb()
    state.close()


@pytest.fixture(params=["sqlite", "redis"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """The bot's state store on both backends: a SQLite file, and a real redis-server (skipped without one)."""
    if request.param == "sqlite":
        from bot.botstate import SqliteState

        store = SqliteState(tmp_path / "bot-state.db")
        yield store
        store.close()
    else:
        yield request.getfixturevalue("redis_state")
