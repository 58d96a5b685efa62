"""Decoding of Bot API request parameters, in every encoding a client may use.

PTB POSTs ``application/x-www-form-urlencoded`` (``multipart/form-data`` when uploading files)
where strings are sent as they are and every other value (ints, bools, lists, objects) is a
JSON-encoded string.  Other clients send a JSON body or a query string.  Telegram converts
each field by its declared type, so a form value is decoded by field name here too: ``text``
``"123"`` stays a string while ``chat_id`` ``"123"`` becomes an int.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from .validation import bad_request

JSON_FIELDS = frozenset(
    {
        "allowed_updates",
        "button",
        "caption_entities",
        "commands",
        "correct_option_ids",
        "entities",
        "explanation_entities",
        "link_preview_options",
        "media",
        "options",
        "reply_markup",
        "reply_parameters",
        "results",
        "rights",
        "scope",
        "prices",
    }
)
INT_FIELDS = frozenset(
    {
        "cache_time",
        "duration",
        "from_chat_id",
        "limit",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "until_date",
        "user_id",
    }
)
BOOL_FIELDS = frozenset(
    {
        "allow_paid_broadcast",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "for_channels",
        "has_spoiler",
        "is_anonymous",
        "is_personal",
        "only_if_banned",
        "protect_content",
        "revoke_messages",
        "show_alert",
        "show_caption_above_media",
    }
)
INT_OR_STR_FIELDS = frozenset({"chat_id"})


def decode_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Merge query-string and body parameters into one dict of typed values."""
    raw: dict[str, Any] = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    mime = content_type.split(";", 1)[0].strip().lower()
    if body:
        if mime == "application/json":
            try:
                decoded = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON encoded request body") from None
            if not isinstance(decoded, dict):
                raise bad_request("JSON object expected as request body")
            raw.update(decoded)
        elif mime == "multipart/form-data":
            raw.update(_multipart(content_type, body))
        else:
            text = body.decode("utf-8", "replace")
            raw.update({k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()})
    return {name: coerce(name, value) for name, value in raw.items()}


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields[name] = payload.decode(part.get_content_charset() or "utf-8", "replace")
        else:
            fields[name] = {"filename": filename, "content": payload}
    return fields


def coerce(name: str, value: Any) -> Any:
    """Convert one form value (a string) to the type Telegram declares for the field."""
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in INT_FIELDS or name in INT_OR_STR_FIELDS:
        try:
            return int(value)
        except ValueError:
            if name in INT_OR_STR_FIELDS:
                return value
            raise bad_request(f'field "{name}" must be of type Integer') from None
    if name in BOOL_FIELDS:
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')
    return value
