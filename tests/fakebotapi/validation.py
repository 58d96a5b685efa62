"""Checks Telegram applies to message text, keyboards and inline results, with its errors."""

from __future__ import annotations

import re
from typing import Any

from .htmlcheck import EntityParseError, parse_html, strip_formatted

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64

BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_BUTTON_URL_RE = re.compile(r"^(?:https?|tg)://\S+$", re.I)


class ApiError(Exception):
    """A Bot API error response: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


def format_text(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    strict_ampersand: bool = True,
    empty_error: str = "message text is empty",
    too_long_error: str = "message is too long",
) -> tuple[str, list[dict]]:
    """Return the (plain text, entities) Telegram would store for a text, or raise ApiError.

    Length is counted in characters after entity parsing and trimming, as Telegram does.
    Markdown parse modes are accepted but not parsed (the text is kept as it was).
    """
    if not isinstance(text, str) or not text:
        raise bad_request(empty_error)
    mode = (parse_mode or "").lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            plain, found = parse_html(text, strict_ampersand=strict_ampersand)
        except EntityParseError as err:
            raise bad_request(f"can't parse entities: {err}") from None
    elif mode in ("markdown", "markdownv2"):
        plain, found = text, []
    elif mode == "":
        plain, found = text, [e for e in entities or [] if isinstance(e, dict)]
    else:
        raise bad_request("unsupported parse_mode")
    plain, found = strip_formatted(plain, found)
    if not plain:
        raise bad_request(empty_error)
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request(too_long_error)
    return plain, found


def validate_reply_markup(markup: Any) -> dict | None:
    """Check a reply_markup object; return it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        validate_inline_keyboard(markup["inline_keyboard"])
        return markup
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
        for button in (b for row in rows for b in row):
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not isinstance(text, str) or not text:
                raise bad_request("can't parse keyboard button: text is empty")
        return markup
    if "remove_keyboard" in markup or "force_reply" in markup:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("BUTTON_TEXT_INVALID")
        actions = [field for field in BUTTON_ACTIONS if field in button]
        if not actions:
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        if len(actions) > 1:
            raise bad_request(
                "can't parse inline keyboard button: exactly one optional field must be used, "
                f"found {', '.join(actions)}"
            )
        data = button.get("callback_data")
        if "callback_data" in button and (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not (
            isinstance(button["url"], str) and _BUTTON_URL_RE.match(button["url"])
        ):
            raise bad_request("BUTTON_URL_INVALID")
