"""Entry point: ``shopdesk`` / ``python -m app``. Builds the object graph and starts the UI."""

from __future__ import annotations

import multiprocessing
import os
import sys


def main(argv: list[str] | None = None) -> int:
    # In a frozen build the executable is also what multiprocessing starts for a first
    # sync's page process (store/page_process.py); this hands such a start to it.
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--sandbox"]:  # a frozen build starts its practice platform this way
        from app.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks its binding from this
    from app.ui.application import run

    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
