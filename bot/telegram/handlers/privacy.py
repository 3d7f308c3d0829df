"""/datenschutz (what is kept, why, where, how long) and /vergessen (erase the chat's state)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.handlers.common import answer


def privacy_text() -> str:
    return _(
        "<b>Datenschutz</b>\n"
        "Damit Nachfragen wie „und wann haben die offen?“ funktionieren, merke ich mir für diesen Chat nur:\n"
        "• die gewählte Sprache,\n"
        "• Ihren Ort, wenn Sie einen nennen oder mit /ort festlegen,\n"
        "• die Suchwörter Ihrer letzten Frage und die Liste der gezeigten Angebote.\n\n"
        "Ihre Nachrichten selbst, Ihren Namen und Ihren Standort speichere ich nicht, und in den Protokollen "
        "des Bots stehen weder Nachrichtentexte noch Ihre Telegram-Kennung.\n\n"
        "Die Angaben liegen im Arbeitsspeicher des Bots (bis zum nächsten Neustart) oder – wenn der Bot "
        "mit mehreren Instanzen läuft – in seiner Redis-Datenbank, dort höchstens 30 Tage nach Ihrer "
        "letzten Nachricht.\n\n"
        "Mit /vergessen lösche ich sofort alles, was ich über diesen Chat weiß."
    )


async def privacy(message: Message) -> None:
    await answer(message, Reply(privacy_text()))


async def forget(message: Message, state: FSMContext) -> None:
    await state.clear()
    await answer(message, Reply(_("Erledigt: Ich habe alles gelöscht, was ich über diesen Chat gespeichert hatte "
                                  "(Ort, letzte Suche, Sprache).")))


def router() -> Router:
    r = Router(name="privacy")
    r.message.register(privacy, Command("datenschutz", "privacy"))
    r.message.register(forget, Command("vergessen", "forget"))
    return r
