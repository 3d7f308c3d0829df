"""Fixtures for the production-strength tests: a small synthetic offers.db and the real dispatcher.

The offers (prod_helpers.synthetic_offers) are built with the real sync; the
harness and update builders are in prod_helpers.py too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from bot.store import Store
from bot.sync import sync
from bot.telegram.app import create_bot, create_dispatcher
from bot.telegram.middlewares import throttling
from tests.production.prod_helpers import ADMIN_ID, TUESDAY_MORNING, Harness, write_knowledge
from tests.telegram.recording import RecordingSession


@pytest.fixture(scope="session")
def offers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("production")
    result = sync(write_knowledge(base / "knowledge"), base / "offers.db")
    assert result.ok, [str(p) for p in result.problems]
    return base / "offers.db"


@pytest.fixture(scope="session")
def store(offers_db: Path) -> Store:
    """One store for the session: it only reads, and its search engine (word lists, places) is built once."""
    return Store(offers_db)


@pytest.fixture
def make_harness(store: Store) -> Callable[..., Harness]:
    settings = Settings(ADMIN_IDS=f"{ADMIN_ID}, ")  # the admin, as ADMIN_IDS names it for python -m bot run

    def make(session: RecordingSession | None = None, db: Path | None = None, **kwargs: Any) -> Harness:
        """A harness; ``db`` gives it a database of its own (to replace under it)."""
        session = session or RecordingSession()
        own = Store(db) if db is not None else store
        now = [TUESDAY_MORNING]
        dp = create_dispatcher(own, settings, clock=lambda: now[0], **kwargs)
        throttling.install(dp)  # as python -m bot run does
        bot = create_bot("4242:TEST-TOKEN", session=session)
        return Harness(dp, bot, session, own, now)

    return make


@pytest.fixture
def harness(make_harness: Callable[..., Harness]) -> Harness:
    return make_harness()
