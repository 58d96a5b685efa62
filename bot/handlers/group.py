"""Group and supergroup chats: the bot speaks only when addressed, or with auto-answer on."""

from __future__ import annotations

import re

from telegram import ChatMember, Message, MessageEntity, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.handlers.replies import answer
from bot.services import Services
from bot.strings import t

_ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def _mentions_bot(message: Message, username: str, bot_id: int) -> bool:
    for entity, piece in message.parse_entities(
        [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    ).items():
        if entity.type == MessageEntity.MENTION and piece[1:].lower() == username.lower():
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
    return False


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def ask(update: Update, context: BotContext) -> None:
    """/ask <question>, in any chat."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or [])
    if not text:
        lang = await context.services.ui_lang(update.effective_user)
        await message.reply_text(t(lang, "ask_usage"), do_quote=True)
        return
    await answer(update, context, text)


async def message(update: Update, context: BotContext) -> None:
    """A group text: answer when it mentions or replies to the bot, or (auto-answer on)
    when it looks like a question the FAQ answers confidently."""
    msg = update.effective_message
    chat = update.effective_chat
    if msg is None or chat is None or not msg.text:
        return
    bot = context.bot
    if _mentions_bot(msg, bot.username, bot.id):
        text = _without_mention(msg.text, bot.username)
        await answer(update, context, text or msg.text)
        return
    replied = msg.reply_to_message
    if (
        replied
        and replied.from_user
        and replied.from_user.id == bot.id
        and not (msg.is_topic_message and replied.message_id == msg.message_thread_id)
    ):
        await answer(update, context, msg.text)
        return
    svc = context.services
    if svc.phrases.looks_like_question(msg.text) and await autoanswering(svc, chat.id):
        await answer(update, context, msg.text, quiet=True)


async def autoanswering(svc: Services, chat_id: int) -> bool:
    """Whether auto-answer is on in the group (off when the database is unavailable)."""
    return await svc.storage.read(lambda storage: storage.get_autoanswer(chat_id), False)


async def _is_chat_admin(update: Update, context: BotContext) -> bool:
    msg, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if msg and chat and msg.sender_chat and msg.sender_chat.id == chat.id:
        return True  # an anonymous admin, posting as the group
    if chat is None or user is None:
        return False
    try:
        member = await chat.get_member(user.id)
    except TelegramError:
        return False
    return member.status in _ADMIN_STATUSES


async def autoanswer(update: Update, context: BotContext) -> None:
    """/autoanswer [on|off]: chat admins switch auto-answer; anyone may see its state."""
    svc, msg, chat = context.services, update.effective_message, update.effective_chat
    if msg is None or chat is None:
        return
    lang = await svc.ui_lang(update.effective_user)
    if chat.type == chat.PRIVATE:
        await msg.reply_text(t(lang, "group_only"))
        return
    choice = (context.args or [""])[0].lower()
    if choice not in ("on", "off"):
        state = t(
            lang,
            "autoanswer_state_on" if await autoanswering(svc, chat.id) else "autoanswer_state_off",
        )
        await msg.reply_text(t(lang, "autoanswer_usage", state=state), do_quote=True)
        return
    if not await _is_chat_admin(update, context):
        await msg.reply_text(t(lang, "admins_only"), do_quote=True)
        return
    chat_id, on = chat.id, choice == "on"
    saved = await svc.storage.write(
        f"auto-answer {choice} in chat {chat_id}",
        lambda storage: storage.set_autoanswer(chat_id, on),
    )
    key = ("autoanswer_on" if choice == "on" else "autoanswer_off") if saved else "saved_nowhere"
    await msg.reply_text(t(lang, key), do_quote=True)
