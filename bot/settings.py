"""The settings of ``python -m bot``, read from the environment once and checked together.

One typed object instead of environment reads spread over the modules that start the bot: a
malformed ``ADMIN_IDS``, a port out of range or a ``WEBHOOK_SECRET`` Telegram would refuse is one
clear German message at start, not a traceback later (or admins silently ignored). Secrets are
``SecretStr``: they never show in a repr or a log line.

The command line builds the settings once (:func:`load_settings`, or :class:`CommonSettings` for the
commands that need only where the data is) and passes them down: to ``create_dispatcher``, the state
store, the logging. No other module reads the environment. :class:`CommonSettings` holds nothing that
can be malformed, so ``python -m bot answer`` and the admin scripts never stop over a variable only
the running bot uses. No aiogram here: the answer command starts from this module.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config import db_path

#: What ``setWebhook`` accepts as ``secret_token``: 1-256 of A-Z, a-z, 0-9, _ and -.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
#: German messages for pydantic's error types that need no more words.
_MESSAGES = {"int_parsing": "keine ganze Zahl", "less_than_equal": "höchstens {le}",
             "greater_than_equal": "mindestens {ge}"}


def secret_problem(secret: str) -> str | None:
    """Why Telegram would refuse ``secret`` (a message for the admin, not quoting it), or None."""
    if _SECRET.fullmatch(secret):
        return None
    return (f"WEBHOOK_SECRET ist ungültig ({len(secret)} Zeichen): Telegram erlaubt nur A–Z, a–z, 0–9, _ und - "
            "und 1 bis 256 Zeichen")


class CommonSettings(BaseSettings):
    """Where the data and the bot's state are, and the bot's public name: what every command reads."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", populate_by_name=True)

    #: The offers database (default: ``offers.db`` in the project).
    offers_db: str | None = Field(None, alias="OFFERS_DB")
    #: Redis for the conversation state, the updates handled and the bot's own store (several instances).
    redis_url: str | None = Field(None, alias="REDIS_URL")
    #: The bot's own store without Redis (default: ``bot-state.db`` in the working directory).
    bot_state_db: str | None = Field(None, alias="BOT_STATE_DB")
    #: The bot's @name for share links in ``python -m bot answer`` (the running bot asks Telegram).
    bot_username: str | None = Field(None, alias="BOT_USERNAME")

    @property
    def offers_path(self) -> Path:
        return db_path(self.offers_db)


class Settings(CommonSettings):
    """Environment variables of the bot (the README lists them)."""

    bot_token: SecretStr | None = Field(None, alias="BOT_TOKEN")
    webhook_secret: SecretStr | None = Field(None, alias="WEBHOOK_SECRET")
    webhook_url: str | None = Field(None, alias="WEBHOOK_URL")
    webhook_host: str = Field("0.0.0.0", alias="WEBHOOK_HOST")
    webhook_path: str = Field("/webhook", alias="WEBHOOK_PATH")
    port: int = Field(8080, ge=1, le=65535, alias="PORT")
    telegram_api_server: str | None = Field(None, alias="TELEGRAM_API_SERVER")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    #: Comma-separated Telegram user ids (``"123, 456"``).
    admin_ids_text: str = Field("", alias="ADMIN_IDS")
    #: The salt of the log's pseudonyms; set it to follow one person's lines across instances and restarts.
    log_salt: SecretStr | None = Field(None, alias="LOG_SALT")

    @field_validator("admin_ids_text")
    @classmethod
    def _ids(cls, value: str) -> str:
        for part in value.replace(";", ",").split(","):
            if part.strip() and not part.strip().isdigit():
                raise ValueError(f"{part.strip()!r} ist keine Telegram-Nutzer-ID (Zahlen, mit Kommas getrennt)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        problem = secret_problem(value.get_secret_value()) if value is not None and value.get_secret_value() else None
        if problem:  # found at start, not as a traceback from setWebhook
            raise ValueError(problem)
        return value

    @property
    def admin_ids(self) -> frozenset[int]:
        return frozenset(int(p) for p in self.admin_ids_text.replace(";", ",").split(",") if p.strip())

    @property
    def log_salt_bytes(self) -> bytes | None:
        """``LOG_SALT`` as the log filter takes it; None: a random salt per process."""
        if self.log_salt is None:
            return None
        return self.log_salt.get_secret_value().encode() or None


def load_settings() -> Settings | str:
    """The settings from the environment, or one German message naming every bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            text = error["msg"].removeprefix("Value error, ")
            if error["type"] in _MESSAGES:
                text = _MESSAGES[error["type"]].format(**error.get("ctx", {}))
            lines.append(text if text.startswith(name) else f"{name}: {text}")
        return "Ungültige Einstellungen: " + "; ".join(lines)


def settings_or_complaint(settings: Settings | None) -> Settings | None:
    """The settings ``python -m bot`` read already, else read now; None after printing the message
    on a malformed variable (every variable checked at once, before anything starts)."""
    if settings is not None:
        return settings
    loaded = load_settings()
    if isinstance(loaded, str):
        print(loaded, file=sys.stderr)
        return None
    return loaded
