"""A fake Telegram Bot API server for end-to-end tests of the bot.

Start it, point a real ``telegram.ext.Application`` at it, act as users, read what the bot
did::

    with FakeBotApi() as api:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        ...  # run the app (polling) in the background
        ani = api.user("Ani", language_code="id")
        chat = api.private_chat(ani)
        update = api.send_message(chat, ani, "/start")
        reply = api.wait_for_reply(update)
        assert api.rejections == []
"""

from .api import DEFAULT_TOKEN, FakeBotApi, auto_entities
from .htmlcheck import EntityParseError, parse_html
from .observing import WaitTimeout
from .records import BotMessage, Call, Rejection

__all__ = [
    "DEFAULT_TOKEN",
    "BotMessage",
    "Call",
    "EntityParseError",
    "FakeBotApi",
    "Rejection",
    "WaitTimeout",
    "auto_entities",
    "parse_html",
]
