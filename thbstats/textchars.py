"""Control and invisible characters, refused in names and text at the door (stdlib only: the
geography tables are read without pandas)."""

from __future__ import annotations

import unicodedata

CONTROL = {"Cc", "Cf", "Zl", "Zp"}
"""Unicode categories refused in text: control, format (zero-width, bidi), line and paragraph
separators (U+0085, U+200B, U+202E, U+2028 ... look like nothing or break lines)."""

EXPECTED = (
    "text without control characters (tab, line breaks, U+0085, zero-width or direction marks)"
)


def first_control(text: str) -> int | None:
    """The 0-based position of the first refused character of ``text`` (None: there is none).

    >>> first_control("Côte d'Ivoire"), first_control("Fran\\u200bce")
    (None, 4)
    """
    if text.isascii() and text.isprintable():  # U+0020..U+007E: none of them refused
        return None
    for at, ch in enumerate(text):
        if unicodedata.category(ch) in CONTROL:
            return at
    return None


def found(text: str, at: int) -> str:
    """What an error says it found: ``U+200B at character 5``."""
    return f"U+{ord(text[at]):04X} at character {at + 1}"
