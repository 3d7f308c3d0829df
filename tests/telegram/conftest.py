"""Fixtures for the conversation tests: a small synthetic offers.db and a harness around the dispatcher
(the offers and the harness are in tests/telegram/harness.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.store import Store
from bot.sync import sync
from bot.telegram.app import create_bot, create_dispatcher
from bot.telegram.local import Updates
from tests.telegram.harness import TUESDAY_BEFORE_CLOSING, Harness, write_knowledge
from tests.telegram.recording import RecordingSession


@pytest.fixture(scope="session")
def offers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("conversation")
    knowledge = write_knowledge(base / "knowledge")
    result = sync(knowledge, base / "offers.db")
    assert result.ok, [str(p) for p in result.problems]
    return base / "offers.db"


@pytest.fixture(scope="session")
def store(offers_db: Path) -> Store:
    """One store for the session: it only reads, and its search engine (word lists, places) is built once."""
    return Store(offers_db)


@pytest.fixture
def make_harness(store: Store) -> Callable[..., Harness]:
    def make(language_code: str | None = "de", *, on: Store | None = None, **kwargs: Any) -> Harness:
        """A harness for a user with this Telegram language, on ``on`` (default: the test store)."""
        session = RecordingSession()
        now = [TUESDAY_BEFORE_CLOSING]
        chosen = on or store
        dp = create_dispatcher(chosen, clock=lambda: now[0], **kwargs)
        bot = create_bot("4242:TEST-TOKEN", session=session)
        return Harness(dp, bot, session, Updates(language_code=language_code), chosen, now)

    return make


@pytest.fixture
def harness(make_harness: Callable[..., Harness]) -> Harness:
    return make_harness()
