"""Text normalisation shared by indexing and querying.

Chat text is folded to lowercase letters and digits: Unicode compatibility forms
are unified, accents, emoji, punctuation and invisible characters dropped, and
runs of three or more identical letters collapsed ("apaaa" -> "apa").
"""

from __future__ import annotations

import re
import unicodedata

_REPEATS = re.compile(r"(\w)\1{2,}")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’`](?=[a-z])")  # "what's" -> "whats", "don't" -> "dont"
_NON_WORD = re.compile(r"[^0-9a-z]+")
_REDUPLICATION = re.compile(r"(?<=[a-z])2\b")  # "jenis2" -> "jenis" (Indonesian/Malay plural)


def fold(text: str) -> str:
    """Return `text` as space-separated lowercase ASCII words."""
    decomposed = _APOSTROPHE.sub("", unicodedata.normalize("NFKD", text.casefold()))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    ascii_only = _REDUPLICATION.sub("", ascii_only)
    ascii_only = _REPEATS.sub(r"\1", ascii_only)
    return _NON_WORD.sub(" ", ascii_only).strip()


def words(text: str) -> list[str]:
    """Split `text` into folded words."""
    folded = fold(text)
    return folded.split() if folded else []


def pieces(text: str) -> list[str]:
    """`text` cut at ASCII spaces. Folding never joins or splits words across an ASCII space,
    so `words(text)` is the words of each piece in turn, and callers may remember the analysis
    of a piece."""
    return text.split(" ")
