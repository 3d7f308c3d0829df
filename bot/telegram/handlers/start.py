"""/start (welcome, how to ask, topic buttons; ``/start o_<id>`` opens one offer) and /hilfe."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.dialog import Dialog
from bot.telegram.handlers.common import answer, load_memory

_DEEP_LINK = r"^o_[a-z0-9][a-z0-9-]{0,47}$"


def welcome_text() -> str:
    return _(
        "Hallo! Ich helfe Ihnen, in Thüringen und Hessen die passende Beratung und Hilfe zu finden – "
        "zum Beispiel Schuldnerberatung, Familienberatung, Jugendamt, Suchthilfe, Frauenhaus oder Tafel.\n\n"
        "Schreiben Sie Ihre Frage einfach in eigenen Worten, zum Beispiel:\n"
        "• „Schuldnerberatung in Gotha“\n"
        "• „Wann hat das Jugendamt Eisenach offen?“\n"
        "• „Telefonnummer Suchtberatung Erfurt“\n\n"
        "Oder wählen Sie ein Thema:"
    )


def help_text() -> str:
    return _(
        "<b>So fragen Sie</b>\n"
        "Schreiben Sie, wobei Sie Hilfe suchen und wo, zum Beispiel „Erziehungsberatung Weimar“ "
        "oder „Wo ist die Tafel in Artern?“.\n\n"
        "Nachfragen verstehe ich auch: „und wann haben die offen?“, „die Telefonnummer bitte“, "
        "„gibt es das auch in Artern?“, „was anderes?“.\n\n"
        "Teilen Sie Ihren Standort (📎 → Standort), zeige ich die nächsten Angebote mit Entfernung.\n\n"
        "<b>Befehle</b>\n"
        "/themen – Themen durchsehen\n"
        "/ort – Ihren Ort festlegen oder ändern\n"
        "/sprache – Sprache wählen (Deutsch, Leichte Sprache, English, Українська, Русский, العربية, Türkçe)\n"
        "/datenschutz – was gespeichert wird\n"
        "/vergessen – alles über diesen Chat löschen\n\n"
        "In Gefahr? Notruf <b>112</b> · Polizei <b>110</b> · TelefonSeelsorge <b>0800 111 0 111</b>"
    )


async def start_offer(message: Message, command: CommandObject, dialog: Dialog, state: FSMContext) -> None:
    reply = dialog.offer((command.args or "")[2:], await load_memory(state))
    if reply is None:
        missing = _("Dieses Angebot gibt es nicht mehr. Fragen Sie mich gern, was Sie suchen.")
        await answer(message, Reply(missing, dialog.start_topics()))
        return
    await answer(message, reply)


async def start(message: Message, dialog: Dialog) -> None:
    await answer(message, Reply(welcome_text(), dialog.start_topics()))


async def show_help(message: Message) -> None:
    await answer(message, Reply(help_text()))


def router() -> Router:
    r = Router(name="start")
    r.message.register(start_offer, CommandStart(deep_link=True, magic=F.args.regexp(_DEEP_LINK)))
    r.message.register(start, CommandStart())
    r.message.register(show_help, Command("hilfe", "help"))
    return r
