"""Free-text questions and follow-ups; unknown commands; any other message kind."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.dialog import Dialog
from bot.telegram.filters import has_text, is_command
from bot.telegram.handlers.common import answer, converse
from bot.telegram.handlers.media import text_only


async def question(message: Message, dialog: Dialog, state: FSMContext) -> None:
    await converse(message.bot, message.chat.id, state,  # type: ignore[arg-type]
                   lambda memory: dialog.ask(message.text or "", memory))


async def unknown_command(message: Message) -> None:
    await answer(message, Reply(_("Diesen Befehl kenne ich nicht. /hilfe zeigt, was ich kann – "
                                  "oder schreiben Sie einfach Ihre Frage.")))


def router() -> Router:
    r = Router(name="questions")
    r.message.register(unknown_command, is_command)
    r.message.register(question, has_text)
    r.message.register(text_only)
    return r
