"""``python -m bot run [--webhook ...]``: the bot on Telegram, by long polling or as a webhook server.

Environment (read once into bot.settings.Settings): ``BOT_TOKEN`` (required), ``TELEGRAM_API_SERVER``
(base URL of another Bot API server, e.g. a self-hosted one), ``REDIS_URL`` (shared conversation state, and
the ids of the updates handled, so that a redelivered one is answered once),
``OFFERS_DB``, ``BOT_STATE_DB`` (error reports and demand statistics without Redis;
default ``bot-state.db`` in the working directory), ``ADMIN_IDS``, ``LOG_SALT``; for the webhook ``WEBHOOK_SECRET``
(required: every request must carry it in ``X-Telegram-Bot-Api-Secret-Token``, else 401; 1-256 of
A-Z a-z 0-9 _ -, as Telegram demands, checked before anything starts) and ``WEBHOOK_URL`` (registered
with ``setWebhook`` at start when set).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot.settings import Settings, settings_or_complaint
from bot.store import Store
from bot.telegram.app import create_bot, create_dispatcher
from bot.telegram.middlewares import throttling
from bot.telegram.middlewares.privacy_logging import configure_logging
from bot.telegram.middlewares.redelivery import create_seen_updates
from bot.telegram.services import StateServices
from bot.telegram.session import create_session
from bot.telegram.state import create_storage
from bot.telegram.webhook import MAX_IN_FLIGHT, WebhookHandler

log = logging.getLogger("bot.run")


def build_webhook_app(dp: Dispatcher, bot: Bot, *, path: str, secret: str, store: Store | None = None,
                      max_in_flight: int = MAX_IN_FLIGHT) -> web.Application:
    """The aiohttp app: POST ``path`` for Telegram (secret checked by aiogram, unreadable bodies answered
    without a traceback, at most ``max_in_flight`` updates in hand: bot.telegram.webhook), GET /health
    for load balancers."""
    app = web.Application()
    WebhookHandler(dispatcher=dp, bot=bot, secret_token=secret, max_in_flight=max_in_flight).register(app, path=path)

    async def health(_: web.Request) -> web.Response:
        body: dict[str, object] = {"status": "ok"}
        if store is not None:
            meta = store.meta()
            body.update(offers=int(meta.get("offer_count", 0)), built_at=meta.get("built_at"))
        return web.json_response(body)

    app.router.add_get("/health", health)
    setup_application(app, dp, bot=bot)
    return app


async def _polling(dp: Dispatcher, bot: Bot) -> None:
    # A webhook left over from an earlier deployment would make getUpdates fail.
    await bot.delete_webhook(drop_pending_updates=False)
    # At most MAX_IN_FLIGHT updates in hand: the next getUpdates waits for a free slot (back-pressure).
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), tasks_concurrency_limit=MAX_IN_FLIGHT)


def main(argv: list[str], settings: Settings | None = None) -> int:
    """``settings``: the ones ``python -m bot`` read already; else read here."""
    parser = argparse.ArgumentParser(prog="python -m bot run", description="Bot auf Telegram starten")
    parser.add_argument("--webhook", action="store_true", help="als Webhook-Server statt Long Polling")
    settings = settings_or_complaint(settings)
    if settings is None:
        return 2
    parser.add_argument("--host", default=settings.webhook_host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--path", default=settings.webhook_path)
    args = parser.parse_args(argv)
    configure_logging(settings.log_level, salt=settings.log_salt_bytes)  # no message texts or clear ids in the log
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        print("BOT_TOKEN fehlt (ohne Token: python -m bot chat)", file=sys.stderr)
        return 2
    token = settings.bot_token.get_secret_value()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret is not None else ""
    if args.webhook and not secret:
        print("WEBHOOK_SECRET fehlt: ohne Geheimnis nimmt der Webhook keine Anfragen an", file=sys.stderr)
        return 2
    try:
        store = Store(settings.offers_path)
    except (FileNotFoundError, sqlite3.DatabaseError) as exc:  # the reason, not a traceback
        print(exc, file=sys.stderr)
        return 1
    services = StateServices.open(settings, settings.admin_ids)
    dp = create_dispatcher(store, settings, services=services, storage=create_storage(settings.redis_url),
                           seen=create_seen_updates(settings.redis_url))  # in Redis with REDIS_URL
    throttling.install(dp)  # per-person throttling: only for Telegram, not for the terminal chat
    # Retries 429/5xx/network failures and paces sends to Telegram's limits.
    bot = create_bot(token, session=create_session(settings.telegram_api_server))
    if not args.webhook:
        asyncio.run(_polling(dp, bot))
        return 0
    url = settings.webhook_url
    if url:
        async def register_webhook(bot: Bot) -> None:
            await bot.set_webhook(url, secret_token=secret, allowed_updates=dp.resolve_used_update_types())
            log.info("webhook registered")

        dp.startup.register(register_webhook)
    app = build_webhook_app(dp, bot, path=args.path, secret=secret, store=store)
    web.run_app(app, host=args.host, port=args.port, print=None)
    return 0
