"""UI strings in id, ms and en, read from bot/strings/<lang>.yaml."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import yaml

from faq.model import LANGS

STRINGS_DIR = Path(__file__).parent / "strings"


@cache
def _table(lang: str) -> dict[str, str]:
    with (STRINGS_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        table: dict[str, str] = yaml.safe_load(handle)
        return table


def t(lang: str, key: str, **values: object) -> str:
    """The UI string `key` in `lang` (English if `lang` is unknown), formatted with `values`.

    Strings are Telegram HTML; string values are escaped, so user text can never become markup.
    """
    text = _table(lang if lang in LANGS else "en")[key]
    if not values:
        return text
    return text.format(
        **{k: html.escape(v, quote=False) if isinstance(v, str) else v for k, v in values.items()}
    )


def keys(lang: str) -> set[str]:
    return set(_table(lang))


SMALLTALK_KEYS = {"laughter": "ack", "reaction": "ack"}
"""Small-talk kinds (faq/frontdoor.py) answered with another kind's string."""


def smalltalk(lang: str, kind: str) -> str:
    """The reply to small talk of `kind` ("greeting", "thanks", "help"...) in `lang`."""
    return t(lang, SMALLTALK_KEYS.get(kind, kind))
