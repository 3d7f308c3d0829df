"""/sprache: German or English interface (offer data stays German)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import FSMI18nMiddleware
from aiogram.utils.i18n import gettext as _

from bot.render import Button, Reply
from bot.telegram.callbacks import LangCb
from bot.telegram.handlers.common import answer, send


async def choose(message: Message) -> None:
    buttons = ((Button("🇩🇪 Deutsch", "lang", "de"), Button("🇬🇧 English", "lang", "en")),)
    await answer(message, Reply(_("In welcher Sprache soll ich mit Ihnen schreiben? "
                                  "Die Angaben zu den Angeboten bleiben auf Deutsch."), buttons))


async def chosen(query: CallbackQuery, callback_data: LangCb, state: FSMContext,
                 i18n_middleware: FSMI18nMiddleware) -> None:
    await i18n_middleware.set_locale(state, callback_data.lang)
    await query.answer()
    if query.message is not None:
        await send(query.bot, query.message.chat.id,  # type: ignore[arg-type]
                   Reply(_("Ich schreibe jetzt auf Deutsch.")))


def router() -> Router:
    r = Router(name="language")
    r.message.register(choose, Command("sprache", "language"))
    r.callback_query.register(chosen, LangCb.filter())
    return r
