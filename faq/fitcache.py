"""A disk cache of fitted arrays, keyed by a digest of everything the fit read.

Fitting the ranking classifier on the FAQ and its example questions takes a second or more;
the bot, the console and every test start an engine on the same data. An entry is only ever
found for exactly the same input (the digest), so it needs no invalidation; a cache that cannot
be read or written is the same as no cache. The folder is $FAQBOT_CACHE_DIR, else
$XDG_CACHE_HOME/faqbot, else ~/.cache/faqbot; FAQBOT_CACHE_DIR=off turns it off.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

CACHE_ENV = "FAQBOT_CACHE_DIR"
KEEP = 8
"""Entries kept per kind; the least recently written beyond that are removed."""

Arrays = dict[str, npt.NDArray[np.generic]]


def cache_dir() -> Path | None:
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "faqbot"


def load(kind: str, digest: str) -> Arrays | None:
    """The arrays stored for `kind` and `digest`, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with np.load(folder / f"{kind}-{digest}.npz", allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, zipfile.BadZipFile):
        return None


def store(kind: str, digest: str, arrays: Arrays) -> None:
    """Keep `arrays` for `kind` and `digest`, written whole or not at all."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, **arrays)  # type: ignore[arg-type]
            os.replace(temporary, folder / f"{kind}-{digest}.npz")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        entries = sorted(folder.glob(f"{kind}-*.npz"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
