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
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from audifi.seed.copy_loader import Loader, TableWriter, TsvChunk

QUEUE_BYTES = 64 * 2**20  # per producer: a few seconds of server work, a bounded memory cost

Job = Callable[[TableWriter], None]


class Cancelled(Exception):
    """The loader stopped (it failed); the producer must stop too."""


class _Item(NamedTuple):
    table: str
    chunk: TsvChunk
    total: int | None


class StreamWriter(TableWriter):
    """One producer thread: its tables become a FIFO of chunks (and the jobs it forks) instead
    of COPY statements.  All producers share the loader's condition variable."""

    def __init__(self, cond: threading.Condition, job: Job) -> None:
        self.cond = cond
        self.items: deque[_Item | Job] = deque()
        self.queued_bytes = 0
        self.done = False
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread = threading.Thread(
            target=self._run, args=(job,), name="seed-producer", daemon=True
        )
        self.thread.start()

    def _run(self, job: Job) -> None:
        try:
            job(self)
        except Cancelled:
            pass
        except BaseException as exc:  # handed to the loading thread, which re-raises it
            with self.cond:
                self.error = exc
        finally:
            with self.cond:
                self.done = True
                self.cond.notify_all()

    def copy_tsv(self, table: str, chunks: Iterable[TsvChunk], total: int | None = None) -> None:
        for chunk in chunks:
            self._put(_Item(table, chunk, total), len(chunk.data))

    def fork(self, produce: Job) -> None:
        self._put(produce, 0)

    def _put(self, item: _Item | Job, size: int) -> None:
        with self.cond:  # wait for room; a chunk bigger than the bound goes into an empty queue
            while (
                not self.cancelled and self.queued_bytes and self.queued_bytes + size > QUEUE_BYTES
            ):
                self.cond.wait()
            if self.cancelled:
                raise Cancelled
            self.items.append(item)
            self.queued_bytes += size
            self.cond.notify_all()

    def pop(self) -> _Item | Job:
        """The next item (the caller holds the condition and has checked there is one)."""
        item = self.items.popleft()
        if isinstance(item, _Item):
            self.queued_bytes -= len(item.chunk.data)
        self.cond.notify_all()
        return item


def load_in_background(loader: Loader, produce: Job) -> None:
    """Run ``produce`` (and what it forks) in threads; write their chunks with ``loader``."""
    cond = threading.Condition()
    streams = [StreamWriter(cond, produce)]

    def next_stream() -> StreamWriter | None:
        """The first stream with something to load (the main producer first); wait if none."""
        with cond:
            while True:
                for s in streams:
                    if s.error is not None:
                        raise s.error
                if ready := [s for s in streams if s.items]:
                    return ready[0]
                if all(s.done for s in streams):
                    return None
                cond.wait()

    def segment(stream: StreamWriter, first: _Item) -> Iterator[TsvChunk]:
        """Chunks of one table from one stream, until it changes table or runs dry while
        another stream has data (then the loader switches, with a new COPY later)."""
        yield first.chunk
        while True:
            with cond:
                while not stream.items and not stream.done:
                    if any(s.items for s in streams if s is not stream):
                        return
                    cond.wait()
                if stream.error is not None:
                    raise stream.error
                head = stream.items[0] if stream.items else None
                if not isinstance(head, _Item) or head.table != first.table:
                    return
                stream.pop()
            yield head.chunk

    try:
        while (stream := next_stream()) is not None:
            with cond:
                item = stream.pop()
            if isinstance(item, _Item):
                loader.copy_tsv(item.table, segment(stream, item), item.total)
            else:  # a fork: everything queued before it is written by now
                streams.append(StreamWriter(cond, item))
    except BaseException:
        with cond:
            for s in streams:
                s.cancelled = True
            cond.notify_all()
        raise
    finally:
        for s in streams:
            s.thread.join()
