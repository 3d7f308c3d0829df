"""Sozialhilfe-Assistent: finds local social help in Thüringen and Hessen.

The package is split so that only ``bot.telegram`` imports aiogram: the search,
the renderer, the sync and the import run without it and start fast.
"""
