"""UI test helpers: a qasync loop per test, print templates, and screenshots on request."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QWidget

from app.services.print_templates import Templates, ensure_user_copies
from app.ui.fonts import apply_cjk_font


@pytest.fixture(autouse=True)
def collect_widgets_on_the_gui_thread() -> Iterator[None]:
    """Widgets of a finished test sit in reference cycles (slots that hold their widget);
    left to chance, a later collection frees them on whatever thread runs it — a sync's,
    an export's — and Qt warns "Timers cannot be stopped from another thread", failing
    an unrelated test. Collected here, they go on the GUI thread."""
    yield
    gc.collect()


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """Run coroutines on a qasync loop: ``loop.run_until_complete(coro)`` (FEASIBILITY.md §3, approach A)."""
    apply_cjk_font(qapp)
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def templates(tmp_path: Path, qapp: QApplication) -> Templates:
    """The print templates, as a user's own copies (the CJK font in place for rendering)."""
    apply_cjk_font(qapp)
    return Templates(ensure_user_copies(tmp_path / "templates"))


def screenshot(widget: QWidget, name: str) -> Path | None:
    """Save a picture of the widget when SHOPDESK_SCREENSHOTS names a folder."""
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path
