"""Interface language: chosen with /sprache (kept in the FSM data), else the Telegram language.

aiogram's ``FSMI18nMiddleware`` picks the locale; this subclass also hands the
handlers the catalog itself (``tr``), because the renderer translates without aiogram.
"""

from __future__ import annotations

import gettext
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import FSMI18nMiddleware


class LanguageMiddleware(FSMI18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        locale = await super().get_locale(event=event, data=data)
        if locale not in self.i18n.available_locales:
            locale = self.i18n.default_locale
        data["lang"] = locale
        data["tr"] = self.i18n.locales.get(locale) or gettext.NullTranslations()
        return locale
