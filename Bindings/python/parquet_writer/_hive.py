"""Hive partition directories as the library writes them: ``key=value`` segments, the value
``%XX``-escaped as Hive escapes it, ``__HIVE_DEFAULT_PARTITION__`` for null (and ``""``).
Shared by the table-format commits, which read partition values back from file paths."""

from __future__ import annotations

from typing import List, Optional, Tuple
from urllib.parse import unquote

#: The directory value of a null (or empty string) partition value.
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def partition_directories(relative: str) -> List[Tuple[Optional[str], Optional[str]]]:
    """The ``(key, value)`` of each directory of a file's path relative to the dataset root,
    outermost first: the value unescaped, ``None`` for :data:`HIVE_NULL`; ``(None, None)`` for
    a directory that is not ``key=value``."""
    result: List[Tuple[Optional[str], Optional[str]]] = []
    for directory in relative.split("/")[:-1]:
        key, sep, text = directory.partition("=")
        if not sep:
            result.append((None, None))
        else:
            result.append((key, None if text == HIVE_NULL else unquote(text)))
    return result
