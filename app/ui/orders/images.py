"""Goods pictures: fetched in the background with QtNetwork, kept on disk and in memory.

QNetworkAccessManager works on the GUI thread's event loop without blocking it, so no
thread or task is needed. A picture is stored on disk as the bytes the server sent, under
the SHA-256 of its URL, so the same goods picture is fetched once across orders and runs.
A URL that failed is not asked for again in this session: a detail view that refreshes
every few seconds must not hammer a dead host.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWidgets import QLabel, QWidget

from app.paths import data_dir
from app.ui import theme

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024  # a thumbnail; anything bigger is not a goods picture worth the wait
TIMEOUT_MS = 15_000
MEMORY_ENTRIES = 300  # decoded pictures kept in memory (a few MB)
URL_PROPERTY = "shopdesk_url"  # the URL as asked for; the reply's own may be normalised


class ImageCache(QObject):
    """Pictures by URL: memory, then disk, then the network.

    ``image(url)`` answers at once from memory or disk; ``request(url)`` starts a download
    and ``loaded(url)`` says when ``image(url)`` has it. Failures only leave it missing.
    """

    loaded = Signal(str)
    failed = Signal(str)

    def __init__(self, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._manager = QNetworkAccessManager(self)
        # Bound methods, not lambdas holding the reply or self: a lambda kept by a reply's
        # connection can hold the last reference to this cache, and dropping it while the
        # reply is destroyed would destroy the manager that owns the reply (a crash).
        self._manager.finished.connect(self._finished)
        self._memory: OrderedDict[str, QImage] = OrderedDict()
        self._pending: dict[str, QNetworkReply] = {}
        self._failed: set[str] = set()

    @property
    def folder(self) -> Path:
        # Resolved on first use: a pane whose orders have no pictures never touches the disk.
        if self._folder is None:
            self._folder = data_dir() / "images"
        return self._folder

    def path_for(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8")).hexdigest()

    def image(self, url: str) -> QImage | None:
        found = self._memory.get(url)
        if found is not None:
            self._memory.move_to_end(url)
            return found
        path = self.path_for(url)
        if not url or not path.is_file():
            return None
        decoded = QImage.fromData(path.read_bytes())
        if decoded.isNull():  # a damaged file: forget it, so the next request fetches it again
            path.unlink(missing_ok=True)
            return None
        self._remember(url, decoded)
        return decoded

    def has_failed(self, url: str) -> bool:
        return url in self._failed

    def is_pending(self, url: str) -> bool:
        return url in self._pending

    def request(self, url: str) -> None:
        """Fetch the picture unless it is known, on its way, or failed before."""
        if url in self._pending or url in self._failed or self.image(url) is not None:
            return
        qurl = QUrl(url)
        if not url or qurl.scheme() not in ("http", "https") or not qurl.host():
            # Empty, or a path the platform did not make absolute: nothing to fetch.
            self._fail(url, "not a picture URL")
            return
        request = QNetworkRequest(qurl)
        request.setTransferTimeout(TIMEOUT_MS)
        reply = self._manager.get(request)
        reply.setProperty(URL_PROPERTY, url)
        self._pending[url] = reply
        reply.downloadProgress.connect(self._progress)

    def _progress(self, received: int, _total: int) -> None:
        reply = self.sender()
        if received > MAX_BYTES and isinstance(reply, QNetworkReply):
            reply.abort()

    def _finished(self, reply: QNetworkReply) -> None:
        url = str(reply.property(URL_PROPERTY) or "")
        self._pending.pop(url, None)
        reply.deleteLater()
        if reply.error() != QNetworkReply.NetworkError.NoError:
            self._fail(url, reply.errorString())
            return
        data = bytes(reply.readAll().data())
        decoded = QImage.fromData(data)
        if decoded.isNull():
            self._fail(url, "not an image")
            return
        self._store(url, data)
        self._remember(url, decoded)
        self.loaded.emit(url)

    def _store(self, url: str, data: bytes) -> None:
        path = self.path_for(url)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            os.replace(partial, path)  # never a half-written picture under the real name
        except OSError as exc:  # a full or read-only disk costs the disk copy, not the picture
            log.info("could not keep %s on disk: %s", url, exc)

    def _remember(self, url: str, decoded: QImage) -> None:
        self._memory[url] = decoded
        self._memory.move_to_end(url)
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)

    def _fail(self, url: str, why: str) -> None:
        if url:
            log.info("picture %s not loaded: %s", url, why)
        self._failed.add(url)
        self.failed.emit(url)


_shared: dict[Path | None, ImageCache] = {}


def shared_images(folder: Path | None = None) -> ImageCache:
    """One cache per folder for the whole app (None: the data folder's "images"), so a
    side pane and detail windows fetch a picture once. Kept for the process's life."""
    if folder not in _shared:
        _shared[folder] = ImageCache(folder)
    return _shared[folder]


class Thumbnail(QLabel):
    """A square picture: grey until the picture arrives, and grey for good if it fails."""

    def __init__(self, images: ImageCache, url: str, size: int = 56, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self._images = images
        self._size = size
        self._image: QImage | None = None
        self.setFixedSize(size, size)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.is_placeholder = True
        self.setPixmap(self._placeholder())
        found = images.image(url) if url else None
        if found is not None:
            self._show(found)
            return
        if url and not images.has_failed(url):
            # A bound method of a QObject: Qt drops the connection when the label is deleted.
            images.loaded.connect(self._on_loaded)
            images.request(url)

    def _placeholder(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round(self._size * ratio), round(self._size * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.color("placeholder"))
        painter.drawRoundedRect(0, 0, self._size, self._size, 6, 6)
        painter.end()
        return pixmap

    def _on_loaded(self, url: str) -> None:
        if url != self.url:
            return
        self._images.loaded.disconnect(self._on_loaded)
        found = self._images.image(url)
        if found is not None:
            self._show(found)

    def theme_changed(self) -> None:
        # Drawn once into a pixmap, so drawn again: the grey follows a switch (theme.py calls this).
        self._redraw()

    def changeEvent(self, event: QEvent) -> None:
        # Moved to a screen of another pixel ratio: scaled anew, never blurry.
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._redraw()
        super().changeEvent(event)

    def _redraw(self) -> None:
        if self._image is not None:
            self._show(self._image)
        else:
            self.setPixmap(self._placeholder())

    def _show(self, image: QImage) -> None:
        self._image = image
        ratio = self.devicePixelRatioF()
        side = round(self._size * ratio)
        scaled = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)
        self.is_placeholder = False
