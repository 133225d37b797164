"""Generate in background threads while the calling thread feeds COPY.

The machine the seed targets has two cores: PostgreSQL parses and indexes on one, Python
generates on the other.  A producer thread turns tables into chunks of COPY text and queues
them (bounded in bytes, so memory stays flat); the calling thread only writes them to the
connection, which releases the GIL while it waits on the socket.

``StreamWriter.fork`` starts a second producer whose tables (the play log) may be loaded any
time after everything queued before the fork: whenever the main producer is busy computing
(the dividend stage, say), the loader feeds the forked stream instead, so the server never idles.
A table of the forked stream may arrive in several COPY statements.  Each producer generates
its rows in a fixed order from its own random stream, so the content does not depend on the
interleaving; only the physical row order in the heap may differ between runs.

Everything is written on the caller's connection and transaction.  A failure on either side
cancels the producers and is re-raised in the calling thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from audifi.seed.copy_loader import Loader, TableWriter, TsvChunk

QUEUE_BYTES = 64 * 2**20  # per producer: a few seconds of server work, a bounded memory cost


class Cancelled(Exception):
    """The loader stopped (it failed); the producer must stop too."""


@dataclass
class _Item:
    table: str
    chunk: TsvChunk
    total: int | None


@dataclass
class _Fork:
    produce: Callable[[TableWriter], None]


class _Stream:
    """One producer's FIFO of chunks; all streams share the loader's condition variable."""

    def __init__(self, cond: threading.Condition, limit: int) -> None:
        self.cond = cond
        self.limit = limit
        self.items: deque[_Item | _Fork] = deque()
        self.queued_bytes = 0
        self.done = False
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread: threading.Thread | None = None

    def put(self, item: _Item | _Fork) -> None:
        size = len(item.chunk.data) if isinstance(item, _Item) else 0
        with self.cond:
            while self.queued_bytes and self.queued_bytes + size > self.limit:
                if self.cancelled:
                    raise Cancelled
                self.cond.wait()
            if self.cancelled:
                raise Cancelled
            self.items.append(item)
            self.queued_bytes += size
            self.cond.notify_all()

    def pop(self) -> _Item | _Fork:
        """The next item (the caller holds the condition and has checked ``ready``)."""
        item = self.items.popleft()
        if isinstance(item, _Item):
            self.queued_bytes -= len(item.chunk.data)
        self.cond.notify_all()
        return item

    @property
    def ready(self) -> bool:
        return bool(self.items) or self.error is not None

    @property
    def finished(self) -> bool:
        return self.done and not self.items


class StreamWriter(TableWriter):
    """The producer side: tables become queued chunks instead of COPY statements."""

    def __init__(self, stream: _Stream) -> None:
        super().__init__()
        self._stream = stream

    def copy_tsv(self, table: str, chunks: Iterable[TsvChunk], total: int | None = None) -> int:
        n = 0
        for chunk in chunks:
            if chunk.rows:
                self._stream.put(_Item(table, chunk, total))
                n += chunk.rows
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def fork(self, produce: Callable[[TableWriter], None]) -> None:
        self._stream.put(_Fork(produce))


def load_in_background(
    loader: Loader, produce: Callable[[TableWriter], None], queue_bytes: int = QUEUE_BYTES
) -> None:
    """Run ``produce`` (and what it forks) in threads; write their chunks with ``loader``."""
    cond = threading.Condition()
    streams: list[_Stream] = []

    def start(job: Callable[[TableWriter], None]) -> None:
        stream = _Stream(cond, queue_bytes)

        def run() -> None:
            try:
                job(StreamWriter(stream))
            except Cancelled:
                pass
            except BaseException as exc:  # handed to the loading thread, which re-raises it
                with cond:
                    stream.error = exc
                    cond.notify_all()
            finally:
                with cond:
                    stream.done = True
                    cond.notify_all()

        stream.thread = threading.Thread(target=run, name="seed-producer", daemon=True)
        streams.append(stream)
        stream.thread.start()

    def next_stream() -> _Stream | None:
        """The first stream with something to load (the main producer first); wait if none."""
        with cond:
            while True:
                for s in streams:
                    if s.error is not None:
                        raise s.error
                live = [s for s in streams if not s.finished]
                if not live:
                    return None
                for s in live:
                    if s.items:
                        return s
                cond.wait()

    def segment(stream: _Stream, first: _Item) -> Iterable[TsvChunk]:
        """Chunks of one table from one stream, until it changes table or runs dry while
        another stream has data (then the loader switches, with a new COPY later)."""
        yield first.chunk
        while True:
            with cond:
                while not stream.ready and not stream.done:
                    if any(s.items for s in streams if s is not stream):
                        return
                    cond.wait()
                if stream.error is not None:
                    raise stream.error
                if not stream.items:
                    return
                head = stream.items[0]
                if not isinstance(head, _Item) or head.table != first.table:
                    return
                stream.pop()
            yield head.chunk

    start(produce)
    try:
        while (stream := next_stream()) is not None:
            with cond:
                item = stream.pop()
            if isinstance(item, _Fork):
                start(item.produce)  # everything queued before the fork is written by now
                continue
            loader.copy_tsv(item.table, segment(stream, item), item.total)
    except BaseException:
        with cond:
            for s in streams:
                s.cancelled = True
            cond.notify_all()
        raise
    finally:
        for s in streams:
            if s.thread is not None:
                s.thread.join()
