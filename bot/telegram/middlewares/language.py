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


class LanguageMiddleware(FSMI18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        state: FSMContext | None = data.get("state")
        locale = (await state.get_data()).get(self.key) if state is not None else None
        if locale not in self.i18n.available_locales:
            user: User | None = data.get("event_from_user")
            locale = normalize_language(user.language_code if user else None)
            if isinstance(event, Message) and event.text and not event.text.startswith("/"):
                locale = first_language(event.text, locale)
            if locale not in self.i18n.available_locales:
                locale = self.i18n.default_locale
            if state is not None:
                await state.update_data({self.key: locale})
        data["lang"] = locale
        data["tr"] = self.i18n.locales.get(locale) or gettext.NullTranslations()
        return locale
