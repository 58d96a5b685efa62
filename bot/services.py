"""What every handler needs, kept in `application.bot_data` under one key and reached
through `BotContext.services` (bot/context.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import User

from bot.errors import AdminAlerts
from bot.settings import Settings
from bot.storage import Database
from bot.throttle import Throttle
from faq.conversation import Conversations
from faq.engine import Engine
from faq.frontdoor import FrontDoor, default_front_door
from faq.model import LANGS

KEY = "services"


@dataclass
class Services:
    engine: Engine
    """Replaced whole by /reload; a handler reads it once per update, so it never sees a mix."""
    storage: Database
    """The database, off the event loop (also the inbox's)."""
    settings: Settings
    user_throttle: Throttle
    chat_throttle: Throttle
    phrases: FrontDoor = field(default_factory=default_front_door)
    conversations: Conversations = field(default_factory=Conversations)
    """Per (chat, user): the last turn, for follow-ups, and the last language shown."""
    alerts: AdminAlerts = field(default_factory=AdminAlerts)
    """When the admins were last told about an error (bot/errors.py)."""

    @classmethod
    def create(cls, engine: Engine, storage: Database, settings: Settings) -> Services:
        return cls(
            engine=engine,
            storage=storage,
            settings=settings,
            user_throttle=Throttle(settings.throttle_user_per_minute),
            chat_throttle=Throttle(settings.throttle_chat_per_minute),
        )

    def telegram_lang(self, user: User | None) -> str | None:
        """The user's Telegram app language, if it is one the bot speaks."""
        code = ((user.language_code or "") if user else "").lower().replace("_", "-")
        base = code.split("-", 1)[0]
        base = "id" if base == "in" else base  # the legacy code for Indonesian
        return base if base in LANGS else None

    async def saved_lang(self, user: User | None) -> str | None:
        """The user's /lang choice (None: automatic, or the database is unavailable)."""
        if user is None:
            return None
        user_id = user.id
        return await self.storage.read(lambda storage: storage.get_user_lang(user_id), None)

    async def ui_lang(self, user: User | None) -> str:
        """The language of menus and notices for this user."""
        chosen = await self.saved_lang(user)
        return chosen or self.telegram_lang(user) or self.settings.default_language
