"""Text from the data (sources.yml, claims.yml, names) made safe to print in a Markdown file:
shown as written, never run as HTML, never turned into a link or an image."""

from __future__ import annotations

import re
from typing import Any

URL = re.compile(r"https?://[^\s<>()\[\]`\\]+")
SPECIAL = re.compile(r"([\\`\[\]|<>&])")
"""Markdown's punctuation that could make HTML, an entity, a link, an image, code or a table cell
(each backslash-escaped: shown as written, by GitHub and by the site's renderer alike)."""


def md_text(value: Any) -> str:
    """``value`` as one line of Markdown that prints as written (never HTML, a link or an image).

    >>> print(md_text('<img src=x onerror=alert(1)> ![x](http://127.0.0.1:9/p.png)'))
    \\<img src=x onerror=alert(1)\\> !\\[x\\](http://127.0.0.1:9/p.png)
    """
    text = " ".join(str(value).split())
    return SPECIAL.sub(r"\\\1", text)


def md_link(url: Any) -> str:
    """An http(s) address as a Markdown autolink (a link, never an image); other text as text.

    >>> md_link("https://example.org/a_b"), md_link("javascript:alert(1)")
    ('<https://example.org/a_b>', 'javascript:alert(1)')
    """
    text = str(url).strip()
    return f"<{text}>" if URL.fullmatch(text) else md_text(text)
