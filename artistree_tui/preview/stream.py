"""A byte stream that one thread reads while another is still downloading it.

Decoding a preview used to wait for the last byte of the download. :class:`ByteStream` lets
the decoder start on the first bytes instead: the download (on the event loop) calls
:meth:`ByteStream.feed` with each chunk, and Pillow, in a worker thread, reads the stream as
if it were a file — a read that runs ahead of the download blocks until the bytes arrive. The
inflate of a PNG then overlaps its transfer, and the header (with the pixel count checked
against the cap) is parsed before the body has arrived.

Every byte is kept (the finished download goes to the disk cache and the truncation check
needs the end), so seeking backwards is free. :meth:`ByteStream.finish` marks the end;
:meth:`ByteStream.abort` wakes a blocked reader with :class:`StreamAborted` — the download
failed or was cancelled — so a decoding thread can never hang on a stream nobody feeds.
No Textual, no Pillow here.
"""

from __future__ import annotations

import io
import threading

__all__ = ["ByteStream", "StreamAborted"]


class StreamAborted(OSError):
    """The stream will never be complete: the download failed or was cancelled."""


class ByteStream(io.RawIOBase):
    """A growing in-memory file: written by :meth:`feed`, read (blocking) like a file."""

    def __init__(self) -> None:
        super().__init__()
        self._data = bytearray()
        self._pos = 0
        self._done = False
        self._aborted = False
        self._changed = threading.Condition()
        # How many bytes a blocked reader waits for (None: all): feeding wakes it only then,
        # not on every chunk — each wake-up costs the decoding thread a turn at the GIL.
        self._want: int | None = 0

    # -- the writer (the download) ---------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        """Append downloaded bytes and wake a waiting reader."""
        with self._changed:
            if not (self._done or self._aborted):
                self._data += chunk
                if self._want is not None and len(self._data) >= self._want:
                    self._changed.notify_all()

    def finish(self) -> None:
        """No more bytes: reads past the end now return what there is (EOF)."""
        with self._changed:
            self._done = True
            self._changed.notify_all()

    def abort(self) -> None:
        """The download failed: every read, now or later, raises :class:`StreamAborted`."""
        with self._changed:
            if not self._done:
                self._aborted = True
            self._changed.notify_all()

    # -- the reader (Pillow, in a thread) -------------------------------------------------

    def _wait_for(self, end: int | None) -> None:
        """Block until the bytes up to ``end`` (None: all of them) are in, or the end."""
        with self._changed:
            while not self._done:
                if self._aborted:
                    raise StreamAborted("the download did not complete")
                if end is not None and len(self._data) >= end:
                    return
                self._want = end
                self._changed.wait()
            self._want = 0

    def getvalue(self) -> bytes:
        """The whole content, once the download has finished (blocks until then)."""
        self._wait_for(None)
        return bytes(self._data)

    def peek_head(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer if the stream is shorter), without moving."""
        self._wait_for(size)
        return bytes(self._data[:size])

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        want = len(buffer)
        self._wait_for(self._pos + want)
        chunk = self._data[self._pos : self._pos + want]
        buffer[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            self._wait_for(None)
            size = len(self._data) - self._pos
        else:
            self._wait_for(self._pos + size)
        chunk = bytes(self._data[self._pos : self._pos + size])
        self._pos += len(chunk)
        return chunk

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        else:  # relative to the end: only known once the download has finished
            self._wait_for(None)
            target = len(self._data) + offset
        self._pos = max(0, target)
        return self._pos

    def tell(self) -> int:
        return self._pos
