"""Per-workstation print profiles: which printer, paper, offsets and copies per document.

A packing bench prints slips on a label printer and packing lists on an office laser;
the desk next to it has other printers by other names. So profiles live in this
computer's settings (the app's QSettings, ``app_settings()``), never in the shop's cache
or templates, which all workstations of a shop share.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

from app.services.print_templates import KINDS, Kind
from app.ui.printing.render import PAPERS, Placement

GROUP = "printing"
DEFAULT_PAPER: dict[Kind, str] = {"slip": "100x150", "packing": "a4", "picklist": "a4"}
MAX_COPIES = 20  # a typo of 100 copies should not empty a label roll
MAX_OFFSET_MM = 20.0


@dataclass(frozen=True, slots=True)
class PrintProfile:
    kind: Kind
    printer: str = ""  # "" : no printer chosen, always show the preview
    paper: str = ""  # a key of render.PAPERS
    offset_x_mm: float = 0.0  # + moves the print right / down: for a feed that is off
    offset_y_mm: float = 0.0
    copies: int = 1

    def placement(self) -> Placement:
        return Placement(self.offset_x_mm, self.offset_y_mm, self.copies)


def _float(value: object, limit: float) -> float:
    try:
        number = float(str(value))
    except ValueError:
        return 0.0
    return max(-limit, min(limit, number))


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


def load(settings: QSettings, kind: Kind) -> PrintProfile:
    """The profile for a document kind; defaults where nothing (or nothing valid) is saved.
    The INI file gives strings back, and a hand-edited one may hold anything."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    prefix = f"{GROUP}/{kind}/"
    paper = str(settings.value(prefix + "paper", DEFAULT_PAPER[kind]))
    return PrintProfile(
        kind=kind,
        printer=str(settings.value(prefix + "printer", "") or ""),
        paper=paper if paper in PAPERS else DEFAULT_PAPER[kind],
        offset_x_mm=_float(settings.value(prefix + "offset_x_mm", 0), MAX_OFFSET_MM),
        offset_y_mm=_float(settings.value(prefix + "offset_y_mm", 0), MAX_OFFSET_MM),
        copies=max(1, min(MAX_COPIES, _int(settings.value(prefix + "copies", 1), 1))),
    )


def save(settings: QSettings, profile: PrintProfile) -> None:
    if profile.paper not in PAPERS:
        raise ValueError(f"unknown paper {profile.paper!r}")
    prefix = f"{GROUP}/{profile.kind}/"
    settings.setValue(prefix + "printer", profile.printer)
    settings.setValue(prefix + "paper", profile.paper)
    settings.setValue(prefix + "offset_x_mm", max(-MAX_OFFSET_MM, min(MAX_OFFSET_MM, profile.offset_x_mm)))
    settings.setValue(prefix + "offset_y_mm", max(-MAX_OFFSET_MM, min(MAX_OFFSET_MM, profile.offset_y_mm)))
    settings.setValue(prefix + "copies", max(1, min(MAX_COPIES, profile.copies)))
    settings.sync()
