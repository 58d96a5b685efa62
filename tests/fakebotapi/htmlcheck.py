"""Telegram's ``parse_mode=HTML`` parser, modelled on tdlib's ``parse_html``.

It turns HTML into the plain text plus message entities that Telegram would store, and
raises :class:`EntityParseError` with Telegram's wording where Telegram refuses the text.

One deliberate difference: Telegram shows an ``&`` that starts no known entity as a literal
``&``; here it is an error (``strict_ampersand``) so that a bot that forgets to escape user or
FAQ text fails its tests instead of working by luck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_URL_RE = re.compile(r"^(?:(?:https?|tg|ton)://\S+|[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?)$", re.I)
_TG_USER_RE = re.compile(r"^tg://user\?id=(\d+)$")
_SPACE = " \t\n\r\f\v"


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(err)`` is Telegram's description tail."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    text_index: int


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _Scanner:
    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.text = text
        self.strict = strict_ampersand
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[dict] = []
        self.stack: list[_Open] = []
        # UTF-8 byte offset of every character index, for Telegram-style error positions.
        self._byte_at = [0]
        for ch in text:
            self._byte_at.append(self._byte_at[-1] + len(ch.encode("utf-8", "surrogatepass")))

    def byte(self, index: int) -> int:
        return self._byte_at[index]

    def char(self, index: int) -> str:
        return self.text[index] if index < len(self.text) else ""

    def emit(self, s: str) -> None:
        self.out.append(s)
        self.utf16 += utf16_len(s)

    def decode_entity(self, i: int) -> tuple[str, int] | None:
        """Decode an HTML entity at ``i`` (an ``&``); return (char, next index) or None."""
        text = self.text
        end = i + 1
        if self.char(end) == "#":
            end += 1
            hexadecimal = self.char(end) in ("x", "X")
            if hexadecimal:
                end += 1
            start = end
            digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
            while self.char(end) and self.char(end) in digits:
                end += 1
            if end == start or end - i >= 10:
                return None
            code = int(text[start:end], 16 if hexadecimal else 10)
            if code == 0 or code >= 0x10FFFF:
                return None
            value = chr(code)
        else:
            while self.char(end).isascii() and self.char(end).isalpha():
                end += 1
            value = _NAMED_ENTITIES.get(text[i + 1 : end])
            if value is None:
                return None
        if self.char(end) == ";":
            return value, end + 1
        if self.strict:
            return None
        return value, end

    def run(self) -> tuple[str, list[dict]]:
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c == "&":
                decoded = self.decode_entity(self.pos)
                if decoded is not None:
                    self.emit(decoded[0])
                    self.pos = decoded[1]
                    continue
                if self.strict:
                    raise EntityParseError(
                        f'Character "&" at byte offset {self.byte(self.pos)} starts no supported '
                        "HTML entity; escape it as &amp;"
                    )
            if c != "<":
                self.emit(c)
                self.pos += 1
                continue
            if self.char(self.pos + 1) == "/":
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        result = "".join(self.out)
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in result):
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, check "
                "for unmatched surrogate code units"
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return result, self.entities

    def skip_spaces(self, i: int) -> int:
        while self.char(i) and self.char(i) in _SPACE:
            i += 1
        return i

    def start_tag(self) -> None:
        text = self.text
        begin = self.pos
        at = self.byte(begin)
        i = begin + 1
        while self.char(i) and self.char(i) not in _SPACE and self.char(i) != ">":
            i += 1
        if not self.char(i):
            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
        tag = text[begin + 1 : i].lower()
        if tag not in SUPPORTED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {at}')
        argument = ""
        attributes: dict[str, str] = {}
        while self.char(i) != ">":
            i = self.skip_spaces(i)
            if self.char(i) == ">":
                break
            name_begin = i
            while self.char(i) and self.char(i) not in _SPACE and self.char(i) not in "=>":
                i += 1
            name = text[name_begin:i].lower()
            if not name:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {at}'
                )
            i = self.skip_spaces(i)
            if self.char(i) != "=":
                if tag == "blockquote" and name == "expandable":
                    attributes[name] = ""
                    continue
                raise EntityParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {at}'
                )
            i = self.skip_spaces(i + 1)
            if not self.char(i):
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
            value, i = self.attribute_value(i, at)
            attributes[name] = value
        self.pos = i + 1
        if tag == "a":
            argument = attributes.get("href", "")
        elif tag == "code" and attributes.get("class", "").startswith("language-"):
            argument = attributes["class"][len("language-") :]
        elif tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {at}'
                )
        elif tag == "tg-emoji":
            argument = attributes.get("emoji-id", "")
        elif tag == "blockquote":
            argument = "expandable" if "expandable" in attributes else ""
        elif tag == "tg-time":
            argument = f"{attributes.get('unix', '')}|{attributes.get('format', '')}"
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))

    def attribute_value(self, i: int, at: int) -> tuple[str, int]:
        text = self.text
        quote = self.char(i)
        if quote not in ("'", '"'):
            begin = i
            while self.char(i) and (self.char(i).isalnum() or self.char(i) in ".-"):
                i += 1
            if not self.char(i) or (self.char(i) not in _SPACE and self.char(i) != ">"):
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self.byte(begin)}"
                )
            return text[begin:i].lower(), i
        i += 1
        value: list[str] = []
        while self.char(i) and self.char(i) != quote:
            if self.char(i) == "&":
                decoded = self.decode_entity(i)
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                    continue
            value.append(self.char(i))
            i += 1
        if not self.char(i):
            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
        return "".join(value), i + 1

    def end_tag(self) -> None:
        text = self.text
        begin = self.pos
        at = self.byte(begin)
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {at}")
        i = begin + 2
        while self.char(i) and self.char(i) not in _SPACE and self.char(i) != ">":
            i += 1
        name = text[begin + 2 : i].lower()
        i = self.skip_spaces(i)
        if self.char(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {at}")
        self.pos = i + 1
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {at}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        length = self.utf16 - opened.utf16_offset
        if length > 0:
            self.add_entity(opened, length)

    def add_entity(self, opened: _Open, length: int) -> None:
        offset = opened.utf16_offset
        entity: dict = {"offset": offset, "length": length}
        tag, argument = opened.tag, opened.argument
        if tag in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[tag]
        elif tag == "a":
            url = argument or "".join(self.out[opened.text_index :])
            user = _TG_USER_RE.match(url)
            if user:
                entity["type"] = "text_mention"
                entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": "User"}
            elif _URL_RE.match(url):
                entity["type"] = "text_link"
                entity["url"] = url
            else:
                return  # Telegram silently drops links with an invalid URL.
        elif tag == "tg-emoji":
            if not argument.isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity["type"] = "custom_emoji"
            entity["custom_emoji_id"] = argument
        elif tag == "tg-time":
            unix, fmt = argument.split("|", 1)
            if not unix.isdigit():
                raise EntityParseError("Invalid date_time entity: unix attribute expected")
            entity["type"] = "date_time"
            entity["unix_time"] = int(unix)
            if fmt:
                entity["date_time_format"] = fmt
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if argument else "blockquote"
        elif tag == "code":
            last = self.entities[-1] if self.entities else None
            if (
                last
                and last["type"] == "pre"
                and (last["offset"], last["length"])
                == (
                    offset,
                    length,
                )
            ):
                if argument:
                    last["language"] = argument
                return
            entity["type"] = "code"
            if argument:
                entity["_language"] = argument  # becomes pre's language if a <pre> wraps it
        elif tag == "pre":
            last = self.entities[-1] if self.entities else None
            if (
                last
                and last["type"] == "code"
                and (last["offset"], last["length"])
                == (
                    offset,
                    length,
                )
            ):
                self.entities.pop()
                entity["type"] = "pre"
                if last.get("_language"):
                    entity["language"] = last["_language"]
            else:
                entity["type"] = "pre"
        self.entities.append(entity)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict]]:
    """Return (plain text, entities) as Telegram would; raise EntityParseError if refused."""
    text_out, entities = _Scanner(text, strict_ampersand).run()
    for entity in entities:
        entity.pop("_language", None)
    return text_out, entities


def strip_formatted(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim surrounding whitespace like Telegram does, shifting and clipping the entities."""
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            result.append({**entity, "offset": start - lead, "length": stop - start})
    return stripped, result
