"""Interface language: chosen with /sprache (kept in the FSM data), else the Telegram language,
or the language of the first message when that is clearly another one.

aiogram's ``FSMI18nMiddleware`` keeps the choice; the first guess comes from the
Telegram ``language_code`` via :func:`bot.i18n.normalize_language` instead of a
Babel locale parse (a tenth of a millisecond on every first message), and a first
text message clearly written in another interface language overrides it
(:func:`bot.detect_language.first_language`). The handlers also get the catalog
itself (``tr``) and the language (``lang``), because the renderer translates
without aiogram.
"""

from __future__ import annotations

import gettext
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject, User
from aiogram.utils.i18n import FSMI18nMiddleware

from bot.detect_language import first_language
from bot.i18n import normalize_language

#: FSM key: the language is still the account's guess, and the first question may change it.
GUESSED = "locale_guessed"


class LanguageMiddleware(FSMI18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        state: FSMContext | None = data.get("state")
        stored = await state.get_data() if state is not None else {}
        locale = stored.get(self.key)
        guessed = stored.get(GUESSED, False)
        if locale not in self.i18n.available_locales:
            user: User | None = data.get("event_from_user")
            locale = normalize_language(user.language_code if user else None)
            if locale not in self.i18n.available_locales:
                locale = self.i18n.default_locale
            guessed = True
        # The first question (not /start) clearly in another language wins over the account's language.
        text = event.text if isinstance(event, Message) else None
        if guessed and text and not text.startswith("/"):
            found = first_language(text, locale)
            locale = found if found in self.i18n.available_locales else locale
            guessed = False
        if state is not None and (stored.get(self.key) != locale or stored.get(GUESSED, False) != guessed):
            await state.update_data({self.key: locale, GUESSED: guessed})
        data["lang"] = locale
        data["tr"] = self.i18n.locales.get(locale) or gettext.NullTranslations()
        return locale

    async def set_locale(self, state: FSMContext, locale: str) -> None:
        """A language chosen with /sprache is kept: no later message changes it."""
        await state.update_data({GUESSED: False})
        await super().set_locale(state, locale)
