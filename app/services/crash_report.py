"""What a crash report may contain: the traceback, never a credential.

A report is copied into chats and e-mails, so secrets are removed twice over: every value
the app holds as a secret (registered when an account is loaded) wherever it appears,
and the value of any field whose name says it is one (tokens, keys, signatures,
passwords), in the shapes a traceback quotes them: URLs, JSON, headers, keyword args.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

HIDDEN = "«hidden»"
MIN_LENGTH = 4  # shorter values would blank out ordinary words and numbers

_NAMES = r"(?:x-?token|access_?token|token|merchant_?key|app_?secret|secret|password|passwd|sign|authorization)"
# name=value (query strings, repr of keyword args), "name": "value" (JSON, dict repr), Name: value (headers)
_FIELD = re.compile(
    rf"""(?P<name>["']?\b{_NAMES}\b["']?)(?P<sep>\s*[:=]\s*)(?P<quote>["']?)(?P<value>[^"'&\s,;)}}\]]+)""",
    re.IGNORECASE,
)

_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Remember a value that must never appear in a report (an AppSecret, a merchantKey)."""
    if len(value) >= MIN_LENGTH:
        with _lock:
            _secrets.add(value)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    with _lock:
        known = set(_secrets)
    known.update(s for s in secrets if len(s) >= MIN_LENGTH)
    # Longest first: a secret that contains another must not be left half-hidden.
    for value in sorted(known, key=len, reverse=True):
        text = text.replace(value, HIDDEN)
    return _FIELD.sub(lambda m: f"{m['name']}{m['sep']}{m['quote']}{HIDDEN}", text)
