"""Admin commands: /status (what the running bot serves, what needs care) and /reload.

Admins are the Telegram user ids in ``ADMIN_IDS`` (comma-separated), and only in
their private chat with the bot. Anyone else who types /status or /reload gets
the normal help text, exactly as for /hilfe, so nothing hints that admin
commands exist. Admin texts are German only, like the rest of the admin tools.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape
from typing import Any

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import BaseFilter, Command
from aiogram.types import Message

from bot.render import Reply
from bot.report import status_summary
from bot.stale import STALE_YEARS
from bot.store import Store, load_database
from bot.telegram.handlers.common import answer
from bot.telegram.handlers.start import help_text
from bot.telegram.services import StateServices

#: Entries listed per section of /status (the rest is counted); keeps the message under Telegram's 4096.
LIST_LIMIT = 8
_MAX_CHARS = 4000


class IsAdmin(BaseFilter):
    """A private message from one of the admin ids."""

    def __init__(self, admin_ids: Iterable[int]) -> None:
        self.admin_ids = frozenset(admin_ids)

    async def __call__(self, message: Message) -> bool:
        user = message.from_user
        return (user is not None and user.id in self.admin_ids
                and message.chat.type in (ChatType.PRIVATE, ChatType.PRIVATE.value))


def _more(total: int) -> list[str]:
    return [f"  … und {total - LIST_LIMIT} weitere (python scripts/report.py)"] if total > LIST_LIMIT else []


def status_text(summary: dict[str, Any], generation: int, extra: str = "") -> str:
    """The /status message (HTML; every value escaped); ``extra``: the state store's lines, kept whole."""
    lines = [
        "<b>Status des Hilfe-Finders</b>",
        f"Datenbank gebaut: {escape(str(summary['built_at'] or 'unbekannt'))} (Generation {generation})",
        f"Angebote: {summary['offer_count']}",
        escape(summary["semantic"]),
        escape(summary["second"]),
        "",
        "<b>Angebote je Landkreis</b>",
        *(f"• {escape(county)}: {count}" for county, count in summary["offers_per_county"].items()),
        "",
        f"<b>Angaben älter als {STALE_YEARS} Jahre: {len(summary['stale'])}</b>"
        + (f" (ohne Stand: {summary['undated_count']})" if summary.get("undated_count") else ""),
        *(f"• {escape(county)}: {count} veraltet" for county, count in summary.get("stale_per_county", {}).items()),
        *(f"• {escape(s['name'])} ({escape(s['county'] or '-')}, Stand {escape(s['source_date'] or '-')})"
          for s in summary["stale"][:LIST_LIMIT]),
        *_more(len(summary["stale"])),
        "",
        f"<b>Sprechzeiten nicht strukturiert: {len(summary['unstructured_hours'])}</b>",
        *(f"• {escape(u['name'])}: „{escape(u['hours_text'] or '')}“"
          for u in summary["unstructured_hours"][:LIST_LIMIT]),
        *_more(len(summary["unstructured_hours"])),
    ]
    text = "\n".join(lines)
    limit = _MAX_CHARS - len(extra) - 2
    if len(text) > limit:  # many counties: cut at a line end, never inside a tag
        text = text[:limit].rsplit("\n", 1)[0] + "\n…"
    return text + (f"\n\n{extra}" if extra else "")


def _on_disk(store: Store) -> tuple[str | None, str | None]:
    """(build time of the file on disk, error) — checked whole, as a reload does, to name what it could not load."""
    try:
        conn = load_database(store.path)
    except (sqlite3.DatabaseError, OSError) as exc:
        return None, getattr(exc, "reason", None) or str(exc)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
    finally:
        conn.close()
    return (row[0] if row else None), None


def reload_text(store: Store, reloaded: bool) -> str:
    meta = store.meta()
    built, count = meta.get("built_at") or "unbekannt", meta.get("offer_count") or "?"
    head = "Neu geladen" if reloaded else "Geladen"
    lines = [f"{head}: Generation {store.generation}, gebaut {escape(built)}, {escape(str(count))} Angebote."]
    disk_built, error = _on_disk(store)
    if error is not None:
        lines.append(f"⚠️ {escape(str(store.path.name))} ist nicht lesbar ({escape(error)}); "
                     "der Bot arbeitet weiter mit den geladenen Daten.")
    elif disk_built != meta.get("built_at"):
        lines.append(f"⚠️ Die Datei auf der Platte (gebaut {escape(disk_built or 'unbekannt')}) wurde nicht "
                     "übernommen; siehe Log.")
    return "\n".join(lines)


def router(admin_ids: Iterable[int] = ()) -> Router:
    """Admin commands for ``admin_ids`` (the settings' ``ADMIN_IDS``)."""
    admins = IsAdmin(admin_ids)

    async def status(message: Message, store: Store, clock: Callable[[], datetime], services: StateServices) -> None:
        # Reads every offer (about 0.1 s for 2000): off the event loop, so other people are not held up.
        summary = await asyncio.to_thread(status_summary, store, clock().date())
        extra = await services.status_text(clock().date())
        await answer(message, Reply(status_text(summary, store.generation, extra)))

    async def reload(message: Message, store: Store) -> None:
        await answer(message, Reply(reload_text(store, store.refresh())))

    async def not_admin(message: Message) -> None:
        await answer(message, Reply(help_text()))

    r = Router(name="admin")
    r.message.register(status, Command("status"), admins)
    r.message.register(reload, Command("reload"), admins)
    r.message.register(not_admin, Command("status", "reload"))
    return r
