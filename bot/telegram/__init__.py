"""The Telegram side of the bot (aiogram 3): dispatcher, routers, keyboards, run helpers.

This package's ``__init__`` imports nothing, so ``bot.telegram.dialog`` (the
conversation logic without aiogram) can be used without loading aiogram.
"""
