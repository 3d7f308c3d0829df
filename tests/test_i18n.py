"""The interface catalogs: starting the bot leaves a fresh clone's bot/locales untouched (issue 12, 14)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.i18n import LANGUAGES, LOCALES_DIR, compile_catalog, ensure_compiled


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, target)
    return target


def test_a_po_newer_than_its_mo_does_not_rewrite_the_same_mo(tmp_path):
    """A checkout stamps files in any order: a .po "newer" than the shipped .mo compiles to the same bytes."""
    locales = _copy(tmp_path)
    shipped = {mo: mo.read_bytes() for mo in locales.glob("*/LC_MESSAGES/messages.mo")}
    assert len(shipped) == len(LANGUAGES)
    for po in locales.glob("*/LC_MESSAGES/messages.po"):
        later = po.with_suffix(".mo").stat().st_mtime_ns + 10**9
        os.utime(po, ns=(later, later))
    ensure_compiled(locales)
    assert {mo: mo.read_bytes() for mo in shipped} == shipped


def test_the_shipped_mo_is_what_the_po_compiles_to():
    """Otherwise every start on a fresh clone would rewrite it."""
    for po in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"):
        assert compile_catalog(po) == po.with_suffix(".mo").read_bytes(), po


def test_a_changed_po_is_compiled(tmp_path):
    locales = _copy(tmp_path)
    po = locales / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "from {time}' in text
    po.write_text(text.replace('msgstr "from {time}', 'msgstr "starting {time}', 1), encoding="utf-8")
    os.utime(po, ns=(po.stat().st_mtime_ns + 10**9,) * 2)
    ensure_compiled(locales)
    assert b"starting {time}" in po.with_suffix(".mo").read_bytes()


def test_a_missing_mo_is_built(tmp_path):
    locales = _copy(tmp_path)
    mo = locales / "de" / "LC_MESSAGES" / "messages.mo"
    mo.unlink()
    ensure_compiled(locales)
    assert mo.read_bytes() == (LOCALES_DIR / "de" / "LC_MESSAGES" / "messages.mo").read_bytes()
