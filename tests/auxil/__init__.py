"""In-process test helpers, after python-telegram-bot's own tests/auxil/: an offline request
object standing in for the Bot API, and builders for the updates Telegram sends."""
