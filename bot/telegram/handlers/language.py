"""/sprache: the interface language, one of seven forms (offer data stays German)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import FSMI18nMiddleware
from aiogram.utils.i18n import gettext as _

from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.render import Button, Reply
from bot.telegram.callbacks import LangCb
from bot.telegram.dialog import Dialog
from bot.telegram.handlers.common import answer, send


def language_buttons() -> tuple[tuple[Button, ...], ...]:
    """Each language named in itself, two to a row; Leichte Sprache last, alone."""
    buttons = [Button(LANGUAGE_NAMES[code], "lang", code) for code in LANGUAGES]
    return tuple(tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2))


async def choose(message: Message) -> None:
    await answer(message, Reply(_("In welcher Sprache soll ich mit Ihnen schreiben? "
                                  "Die Angaben zu den Angeboten bleiben auf Deutsch."), language_buttons()))


async def chosen(query: CallbackQuery, callback_data: LangCb, state: FSMContext,
                 i18n_middleware: FSMI18nMiddleware, dialog: Dialog) -> None:
    await i18n_middleware.set_locale(state, callback_data.lang)
    await query.answer()
    if query.message is not None:
        # The dialog of this update speaks the old language: the topic buttons come in the new one.
        dialog.ctx = dialog.ctx.in_language(callback_data.lang)
        await send(query.bot, query.message.chat.id,  # type: ignore[arg-type]
                   Reply(_("Ich schreibe jetzt auf Deutsch."), dialog.start_topics()))


def router() -> Router:
    r = Router(name="language")
    r.message.register(choose, Command("sprache", "language"))
    r.callback_query.register(chosen, LangCb.filter())
    return r
