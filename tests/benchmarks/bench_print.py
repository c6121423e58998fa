"""Render 500 shipping slips into one PDF, from the cache, as a batch print does.

Goal: >= 50 slips/s for the whole path a "print selected" runs: one batch read of the
orders, the templates filled in, every slip laid out with its two barcodes, the PDF
written. The barcodes of the first and last slips are decoded as a check when
pdftoppm and zbarimg are installed.

    .venv/bin/python tests/benchmarks/bench_print.py [--slips 500] [--paper 100x150]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from app.domain.enums import OrderStatus
from app.services.print_templates import Templates, documents_for, ensure_user_copies
from app.store import orders as store_orders
from app.store.database import Cache
from app.ui.fonts import apply_cjk_font
from app.ui.printing.render import PAPERS, Renderer, render_pdf
from tests.benchmarks.common import machine
from tests.unit.test_store import make_bundle

GOAL = 50.0  # slips per second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=int, default=500)
    parser.add_argument("--paper", default="100x150", choices=sorted(PAPERS))
    args = parser.parse_args()
    app = QApplication([])
    apply_cjk_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = Cache(folder / "cache.sqlite")
        bundles = [make_bundle(i, OrderStatus.SHIPPED) for i in range(1, args.slips + 1)]
        cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
        templates = Templates(ensure_user_copies(folder / "templates"))
        ids = [b.order.id for b in bundles]
        pdf = folder / "slips.pdf"

        started = time.perf_counter()
        docs = documents_for(cache.read, "slip", ids, templates, datetime.now())
        built = time.perf_counter()
        pages = render_pdf(pdf, docs, PAPERS[args.paper], renderer=Renderer())
        done = time.perf_counter()

        total = done - started
        print(f"{machine()}")
        print(f"{len(docs)} slips on {args.paper} -> {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")
        print(f"  read + templates: {built - started:.2f} s; layout + PDF: {done - built:.2f} s")
        print(f"  {len(docs) / total:.0f} slips/s (goal >= {GOAL:.0f}) -> {'OK' if len(docs) / total >= GOAL else 'SLOW'}")
        if shutil.which("pdftoppm") and shutil.which("zbarimg"):
            for page in (1, pages):
                subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", str(page), "-l", str(page), str(pdf),
                                str(folder / f"p{page}")], check=True)
            found = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Scode128.enable",
                                    *map(str, folder.glob("p*.png"))], capture_output=True, text=True).stdout.split()
            print(f"  decoded on the first and last page: {sorted(found)}")
        cache.close()
    del app


if __name__ == "__main__":
    main()
