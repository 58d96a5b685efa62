"""Telegram update handlers: private chats, groups, buttons, inline mode and admin commands."""
