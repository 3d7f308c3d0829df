"""The dispatcher factory and the bot factory shared by every run mode (polling, webhook, terminal chat).

Dependencies travel in the dispatcher's workflow data, not in globals: ``store``
(the offers database), ``clock`` (returns "now"; tests fix it), ``i18n`` and ``services``
(error reports and demand statistics in the state store: bot.telegram.services). What the
environment says arrives as one :class:`bot.settings.Settings`, built by the command line.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import BotCommand
from aiogram.utils.i18n import I18n

from bot import detect_language, second_opinion, semantic, translit, word_frequencies
from bot.botstate import SqliteState
from bot.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, LOCALES_DIR, _n, ensure_compiled
from bot.opening import TZ
from bot.settings import Settings
from bot.store import Store
from bot.telegram.filters import is_command
from bot.telegram.handlers import (
    admin,
    callbacks,
    errors,
    feedback,
    inline,
    language,
    media,
    place,
    privacy,
    questions,
    start,
    topics,
)
from bot.telegram.middlewares.addressing import AddressingMiddleware
from bot.telegram.middlewares.dialog import DialogMiddleware
from bot.telegram.middlewares.language import LanguageMiddleware
from bot.telegram.middlewares.privacy_logging import PrivacyLogMiddleware
from bot.telegram.middlewares.private_state import PrivateStateMiddleware
from bot.telegram.middlewares.redelivery import RedeliveryMiddleware, SeenUpdates
from bot.telegram.middlewares.store import StoreRefreshMiddleware
from bot.telegram.services import StateServices
from bot.telegram.session import JsonSession
from bot.telegram.state import ExpiringMemoryStorage

Clock = Callable[[], datetime]


#: The command menu (names stay German; descriptions are translated).
COMMANDS = (
    ("start", _n("Begrüßung und Themen")),
    ("hilfe", _n("So fragen Sie")),
    ("themen", _n("Themen durchsehen")),
    ("ort", _n("Ihren Ort festlegen oder ändern")),
    ("sprache", _n("Sprache wählen")),
    ("datenschutz", _n("Was gespeichert wird")),
    ("vergessen", _n("Alles über diesen Chat löschen")),
)


def berlin_now() -> datetime:
    return datetime.now(TZ)


def create_i18n() -> I18n:
    ensure_compiled()
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain=DOMAIN)


def create_dispatcher(store: Store, settings: Settings | None = None, *, storage: BaseStorage | None = None,
                      clock: Clock = berlin_now, i18n: I18n | None = None, seen: SeenUpdates | None = None,
                      services: StateServices | None = None) -> Dispatcher:
    """The whole conversation: middlewares, one router per concern, the command menu at startup.

    ``settings`` (the command line's; none: no admins, as in most tests) name the admins of the default
    ``services``: a state store in memory (tests, terminal chat); ``python -m bot run`` passes the one
    ``REDIS_URL`` or ``BOT_STATE_DB`` names, and ``storage`` and ``seen`` (the update ids handled) in
    Redis with ``REDIS_URL``; both stay in memory by default.
    """
    i18n = i18n or create_i18n()
    if services is None:
        services = StateServices(SqliteState(":memory:"), admin_ids=settings.admin_ids if settings else ())
    dp = Dispatcher(storage=storage if storage is not None else ExpiringMemoryStorage(), store=store, clock=clock,
                    i18n=i18n, services=services)
    dp.update.outer_middleware(RedeliveryMiddleware(seen))  # a redelivered update is answered once
    dp.update.outer_middleware(PrivacyLogMiddleware())  # production: no texts or clear ids in logs
    dp.update.outer_middleware(StoreRefreshMiddleware(store))
    dp.update.outer_middleware(PrivateStateMiddleware(dp.fsm))  # a private message without sender
    LanguageMiddleware(i18n).setup(dp)
    dialog = DialogMiddleware()
    dp.message.outer_middleware(dialog)
    dp.callback_query.outer_middleware(dialog)
    # Production: in groups only when addressed (throttling is added by the Telegram run modes).
    dp.message.outer_middleware(AddressingMiddleware())
    admins = services.notifier.admin_ids  # the ones run was started with (ADMIN_IDS)
    dp.include_routers(errors.router(), admin.router(admins), feedback.router(admins),
                       inline.router())
    # Order matters: commands and the /ort state before free text; free text last.
    dp.include_routers(command_routers(), place.router(), callbacks.router(), media.router(), questions.router())

    async def register_commands(bot: Bot) -> None:
        await set_commands(bot, i18n)

    dp.startup.register(register_commands)
    dp.startup.register(load_semantic_model)
    dp.startup.register(freeze_startup_objects)

    async def start_writer() -> None:  # demand events are written in batches, off the replies' path
        services.start(clock)

    dp.startup.register(start_writer)
    dp.shutdown.register(services.stop)
    return dp


async def load_semantic_model() -> None:
    """Load the sentence encoders once, in a worker thread (about 1.4 s of numpy and Python), before
    the first update: a question never waits for it, and the event loop is never blocked by it. The
    language check, the word-piece model that recognises translit (bot.translit) and the word frequencies
    (bot.word_frequencies) that restore Turkish letters, tell Ukrainian typed in Latin letters and spell chat
    Arabic too."""
    await asyncio.to_thread(semantic.load)
    logging.getLogger(__name__).info(semantic.status())
    await asyncio.to_thread(second_opinion.load)
    logging.getLogger(__name__).info(second_opinion.status())
    await asyncio.to_thread(detect_language.load)
    await asyncio.to_thread(translit.load)
    await asyncio.to_thread(word_frequencies.load)


async def freeze_startup_objects() -> None:
    """Move everything alive at startup (aiogram's thousands of types and schemas, the search
    engine's tables) out of the cyclic garbage collector's view: its full collections would
    walk them again and again, a tenth of the time per question otherwise."""
    gc.collect()
    gc.freeze()


def command_routers() -> Router:
    """The command routers behind one filter: plain text skips all their ``Command`` checks at once
    (each is awaited separately, and together they cost half a millisecond per message)."""
    commands = Router(name="commands")
    commands.message.filter(is_command)
    commands.include_routers(start.router(), privacy.router(), language.router(), topics.router())
    return commands


async def set_commands(bot: Bot, i18n: I18n) -> None:
    """Register the command menu: German for everyone, each other language for its Telegram clients
    (Leichte Sprache is no Telegram language: it is chosen with /sprache)."""
    for lang in LANGUAGES:
        if lang == "de-leicht":
            continue
        code = None if lang == DEFAULT_LANGUAGE else lang
        catalog = i18n.locales.get(lang)
        commands = [BotCommand(command=name, description=catalog.gettext(text) if catalog else text)
                    for name, text in COMMANDS]
        await bot.set_my_commands(commands, language_code=code)


def create_bot(token: str, *, api_server: str | None = None, session: BaseSession | None = None) -> Bot:
    """A bot with HTML parse mode; ``api_server`` (``TELEGRAM_API_SERVER``) points at another Bot API server."""
    if session is None:
        session = JsonSession(api=TelegramAPIServer.from_base(api_server.rstrip("/"))) if api_server else JsonSession()
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
