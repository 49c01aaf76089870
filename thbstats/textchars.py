"""Control and invisible characters, refused in names and text at the door (stdlib only: the
geography tables are read without pandas)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

CONTROL = {"Cc", "Cf", "Zl", "Zp"}
"""Unicode categories refused in text: control, format (zero-width, bidi), line and paragraph
separators (U+0085, U+200B, U+202E, U+2028 ... look like nothing or break lines)."""

EXPECTED = (
    "text without control characters (tab, line breaks, U+0085, zero-width or direction marks)"
)


def first_control(text: str, allowed: str = "") -> int | None:
    """The 0-based position of the first refused character of ``text`` (None: there is none).

    >>> first_control("Côte d'Ivoire"), first_control("Fran\\u200bce")
    (None, 4)
    """
    if text.isascii() and text.isprintable():  # U+0020..U+007E: none of them refused
        return None
    for at, ch in enumerate(text):
        if unicodedata.category(ch) in CONTROL and ch not in allowed:
            return at
    return None


def found(text: str, at: int) -> str:
    """What an error says it found: ``U+200B at character 5``."""
    return f"U+{ord(text[at]):04X} at character {at + 1}"


def yaml_texts(data: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every text of a YAML document (keys and values), with where it is (``key a.b[2]``).

    >>> for where, text in yaml_texts({"claims": [{"id": "x"}]}):
    ...     print(where, text)
    key claims claims
    key claims[0].id id
    key claims[0].id x
    """
    if isinstance(data, dict):
        for key, value in data.items():
            at = f"{where}.{key}" if where else str(key)
            yield f"key {at}", str(key)
            yield from yaml_texts(value, at)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from yaml_texts(value, f"{where}[{i}]")
    elif isinstance(data, str):
        yield f"key {where}", data


def refuse_in_yaml(data: Any, path: str) -> None:
    """InputError at the first text of a YAML document holding a refused character (a line
    break is a YAML block's own)."""
    from thbstats.errors import InputError

    for where, text in yaml_texts(data):
        at = first_control(text, allowed="\n")
        if at is not None:
            raise InputError(
                path, where, None, EXPECTED.replace("line breaks, ", ""), found(text, at)
            )
