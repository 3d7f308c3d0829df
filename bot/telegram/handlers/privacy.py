"""/datenschutz (what is kept, why, where, how long) and /vergessen (erase the chat's state)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.handlers.common import answer
from bot.telegram.services import StateServices


def privacy_text() -> str:
    return _(
        "<b>Datenschutz</b>\n"
        "Damit Nachfragen wie „und wann haben die offen?“ funktionieren, merke ich mir für diesen Chat nur:\n"
        "• die gewählte Sprache,\n"
        "• Ihren Ort, wenn Sie einen nennen oder mit /ort festlegen,\n"
        "• die Suchwörter Ihrer letzten Frage, die Liste der gezeigten Angebote und welche Notrufnummern die Antwort "
        "zeigte.\n\n"
        "Ihre Nachrichten selbst, Ihren Namen und Ihren Standort speichere ich nicht, und in den Protokollen "
        "des Bots stehen weder Nachrichtentexte noch Ihre Telegram-Kennung.\n\n"
        "Die Angaben liegen im Arbeitsspeicher des Bots (bis zum nächsten Neustart) oder – wenn der Bot "
        "mit mehreren Instanzen läuft – in seiner Redis-Datenbank, dort höchstens 30 Tage nach Ihrer "
        "letzten Nachricht.\n\n"
        "Mit /vergessen lösche ich sofort alles, was ich über diesen Chat weiß.\n\n"
        "<b>Statistik für die Sozialplanung</b>\n"
        "Damit die Landkreise sehen, wo Hilfe fehlt, zähle ich für jede beantwortete Frage nur: die "
        "Kalenderwoche, den Landkreis, die erkannten Themen, ob ein Angebot in der Nähe gefunden wurde, und die "
        "Sprache. Wörter, die ich nicht verstanden habe, zähle ich nur als einzelne Wörter, ohne den Satz, und "
        "zeige sie erst, wenn mindestens fünf verschiedene Menschen sie in einer Woche benutzt haben. "
        "Ihren Text und Ihre Telegram-Kennung speichere ich dafür nie; nach zwei Jahren bleiben nur "
        "Jahressummen.\n\n"
        "<b>Fehler melden</b>\n"
        "Wenn Sie einen Fehler in einem Angebot melden, speichere ich das Angebot, den Grund, das Datum und – "
        "wenn Sie eine schreiben – Ihre kurze Zeile für die Redaktion. Damit eine Meldung nicht doppelt "
        "zählt, merke ich mir 30 Tage lang ein verschlüsseltes Zeichen, aus dem sich Ihre Kennung nicht "
        "ablesen lässt. /vergessen löscht dieses Zeichen und Ihre Zeile."
    )


async def privacy(message: Message) -> None:
    await answer(message, Reply(privacy_text()))


async def forget(message: Message, state: FSMContext, services: StateServices) -> None:
    await state.clear()
    if message.from_user is not None:
        await services.forget(message.from_user.id)
    await answer(message, Reply(_("Erledigt: Ich habe alles gelöscht, was ich über diesen Chat gespeichert hatte "
                                  "(Ort, letzte Suche, Sprache, Ihre Zeilen zu Fehlermeldungen).")))


def router() -> Router:
    r = Router(name="privacy")
    r.message.register(privacy, Command("datenschutz", "privacy"))
    r.message.register(forget, Command("vergessen", "forget"))
    return r
