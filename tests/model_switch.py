"""Switch a sentence model off for one test, as a failed load leaves it (``monkeypatch`` restores it)."""

from __future__ import annotations

import pytest

from bot.semantic import ModelSlot


def switch_off(monkeypatch: pytest.MonkeyPatch, slot: ModelSlot, error: str) -> None:
    for name in ("_encoder", "_tried", "_error"):  # remembered, so the test's end restores them
        monkeypatch.setattr(slot, name, getattr(slot, name))
    slot.disable(error)
