"""Generate in producer threads while the calling thread feeds COPY, with queues bounded in bytes;
a failure on either side cancels the producers and is re-raised in the calling thread."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from threading import Condition, Event, Thread
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
    """One producer thread: its tables become a FIFO of chunks and forked jobs."""

    def __init__(self, cond: Condition, cancelled: Event, job: Job) -> None:
        self.cond, self.cancelled = cond, cancelled  # shared by all producers
        self.items: deque[_Item | Job] = deque()
        self.queued_bytes = 0
        self.done = False
        self.error: BaseException | None = None
        self.thread = Thread(target=self._run, args=(job,), name="seed-producer", daemon=True)
        self.thread.start()

    def _run(self, job: Job) -> None:
        try:
            job(self)
        except Cancelled:
            pass
        except BaseException as exc:  # handed to the loading thread, which re-raises it
            self.error = exc
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
            while not self.cancelled.is_set() and (
                self.queued_bytes and self.queued_bytes + size > QUEUE_BYTES
            ):
                self.cond.wait()
            if self.cancelled.is_set():
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
    cond, cancelled = Condition(), Event()
    streams = [StreamWriter(cond, cancelled, produce)]

    def next_stream() -> StreamWriter | None:
        with cond:
            cond.wait_for(
                lambda: any(s.items or s.error for s in streams) or all(s.done for s in streams)
            )
            if errors := [s.error for s in streams if s.error is not None]:
                raise errors[0]
            return next((s for s in streams if s.items), None)

    def segment(stream: StreamWriter, first: _Item) -> Iterator[TsvChunk]:
        """One stream's chunks of one table, until it changes table or runs dry while another
        has data (the loader then switches stream; a later COPY resumes the table)."""
        yield first.chunk
        while True:
            with cond:
                cond.wait_for(lambda: stream.done or any(s.items for s in streams))
                if stream.error is not None:
                    raise stream.error  # inside the COPY, which it aborts
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
                streams.append(StreamWriter(cond, cancelled, item))
    except BaseException:
        with cond:
            cancelled.set()
            cond.notify_all()
        raise
    finally:
        for s in streams:
            s.thread.join()
