"""Text that feeds, sitemaps and calendars can carry.

XML 1.0 cannot hold the C0 control characters other than tab, line feed and carriage
return, nor U+FFFE, U+FFFF or a lone surrogate: Django's feed writer raises on them, which
took a whole feed down for one character in one title. They show nothing to a reader
(a vertical tab pasted from a word processor, a stray form feed), so every input path
strips them (import warns, naming the key or line; admin forms clean them like
surrounding spaces), and feeds and calendars strip them again on output for rows written
any other way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

CONTROL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def strip_control_characters(text: str) -> str:
    """`text` without the characters XML cannot carry (tab and newlines are kept)."""
    return CONTROL_CHARACTERS_RE.sub("", text)


def without_control_characters(value: Any) -> Any:
    """`value` with every string in it cleaned: lists, tuples and mappings (keys too) are
    walked; other values are returned as they are."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list):
        return [without_control_characters(item) for item in value]
    if isinstance(value, tuple):
        return tuple(without_control_characters(item) for item in value)
    if isinstance(value, dict):
        return {
            without_control_characters(key): without_control_characters(item)
            for key, item in value.items()
        }
    return value


def control_characters(value: Any) -> list[str]:
    """The control characters found in `value` (walked like `without_control_characters`),
    each once, as code points: ["U+000B"]."""
    found = dict.fromkeys(
        f"U+{ord(match.group()):04X}"
        for text in _strings(value)
        for match in CONTROL_CHARACTERS_RE.finditer(text)
    )
    return list(found)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
