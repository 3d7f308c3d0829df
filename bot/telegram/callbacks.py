"""Callback data of the inline buttons (aiogram ``CallbackData`` factories).

Every field is validated when a button press is unpacked: forged or outdated
data (an unknown action, an offer id that is not a slug) fails the filter and
reaches no handler but the catch-all, which only stops the button's spinner.
"""

from __future__ import annotations

from typing import Annotated, Literal

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.model import OFFER_ID_PATTERN


class OfferCb(CallbackData, prefix="o"):
    action: Literal["details", "map", "contact"]
    id: Annotated[str, Field(pattern=OFFER_ID_PATTERN)]


class PageCb(CallbackData, prefix="p"):
    page: Annotated[int, Field(ge=0, le=100)]


class TopicCb(CallbackData, prefix="t"):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]{2,40}$")]


class MenuCb(CallbackData, prefix="m"):
    name: Literal["topics"]


class AskCb(CallbackData, prefix="a"):
    index: Annotated[int, Field(ge=0, le=9)]


class LangCb(CallbackData, prefix="l"):
    lang: Literal["de", "en", "uk", "ru", "ar", "tr", "de-leicht"]  # bot.i18n.LANGUAGES


class ReportCb(CallbackData, prefix="r"):
    """ "⚠️ Fehler melden" (``ask``) and the reason buttons of an error report (bot.feedback.REASONS)."""

    reason: Literal["ask", "telefon", "zeiten", "adresse", "weg", "anders"]
    id: Annotated[str, Field(pattern=OFFER_ID_PATTERN)]


class NoteCb(CallbackData, prefix="n"):
    """ "Ohne Text absenden": the report goes without the optional line."""

    action: Literal["skip"]


class CloseReportCb(CallbackData, prefix="c"):
    """An admin closes an open report (``/meldungen``)."""

    id: Annotated[int, Field(ge=1, le=10**9)]
