"""Work shared out over processors: the same function over many items, in forked copies of the build.

Cleaning a thousand sources and drafting two thousand pages are independent jobs
once the index is known, and pure Python holds one processor at a time. So
:func:`map_jobs` forks the build (on systems that have ``fork``: Linux, macOS,
the BSDs) into as many processes as :func:`jobs` allows; each copy already holds
everything loaded so far, does a contiguous share of the items, and sends its
results back pickled through a pipe. The build itself does the first share. The
results come back in the order of the items, so the output is the same, byte for
byte, whatever the number of processes (tested with 1 and 2).

What a worker does to the cache (the entries it used and made) is sent back
too, through ``gather`` and ``merge``; it writes the entries it made after its
results are sent (``after``), and a build waits for that only at its end
(:func:`wait_workers`). Anything else a job changes in the worker's memory is
lost with it, so a job must return all it produces.

A fork copies only the thread that makes it, so workers are forked only while
the build runs no other thread (:func:`can_fork`); elsewhere (the live preview's
server, Windows) everything is done in the build's own process.

A worker that fails in any way (its job raised, it was killed, its results do
not pickle) costs time, not correctness: the build does that share itself, and
an error is then raised where it would have been without workers. A worker
holds no lock of the build (see :mod:`curate.writer`) and dies with a signal
instead of running clean-up code that belongs to the build.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this per process are done in the build's own process: forking and sending
#: results back costs more than a few sources or pages.
MIN_ITEMS_PER_JOB = 32
ENV = "CURATE_JOBS"


def available() -> int:
    """Processors this process may run on (its affinity mask where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def jobs(requested: int | None = None) -> int:
    """How many processes a build uses: ``requested``, else ``$CURATE_JOBS``, else every processor.

    Raises:
        UsageError: ``$CURATE_JOBS`` is set to something other than a whole number of at least 1.
    """
    if requested is None:
        value = os.environ.get(ENV, "").strip()
        if value:
            if not value.isascii() or not value.isdigit() or int(value) < 1:
                raise UsageError(f"${ENV} is '{value}', not a whole number of processes; set it to 1 or more "
                                 f"(such as {ENV}=2), or unset it to use one process per processor")
            requested = int(value)
    n = requested if requested is not None else available()
    return max(1, min(n, 64))


def can_fork() -> bool:
    """Whether workers can be forked here: the system has ``fork``, and no other thread runs.

    A fork copies only the thread that calls it; a lock another thread held at that moment
    stays locked forever in the copy (the live preview's server runs threads of its own).
    """
    return hasattr(os, "fork") and sys.platform != "win32" and threading.active_count() == 1


def map_jobs(fn: Callable[[T], R], items: Sequence[T], n_jobs: int,
             gather: Callable[[], Any] | None = None, merge: Callable[[Any], None] | None = None,
             after: Callable[[], None] | None = None) -> list[R]:
    """``[fn(item) for item in items]``, shared out over up to ``n_jobs`` processes.

    Args:
        fn: The job; it must return everything it produces (see the module docstring).
        items: The inputs, in order.
        n_jobs: Most processes to use, the build's own included (:func:`jobs`).
        gather: Called in a worker once its share is done; what it returns goes to ``merge``
            in the build (the cache entries the worker wrote and used).
        merge: Called in the build with each worker's ``gather()``.
        after: Called in a worker once its results are sent, for work the build need not
            wait for (writing the cache entries it made); :func:`wait_workers` waits for it.

    Returns:
        The results in the order of ``items``.

    Raises:
        Whatever ``fn`` raises, for the first item it raises on in the build's own share
        or, redone in the build, in a failed worker's share.
    """
    n = min(n_jobs, len(items) // MIN_ITEMS_PER_JOB)
    if n <= 1 or not can_fork():
        return [fn(item) for item in items]
    size, extra = divmod(len(items), n)
    bounds = [i * size + min(i, extra) for i in range(n + 1)]
    shares = [items[bounds[i]:bounds[i + 1]] for i in range(n)]
    workers: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        for share in shares[1:]:
            workers.append(_fork(fn, share, gather, after))
        results = [fn(item) for item in shares[0]]
        for (pid, fd), share in zip(workers, shares[1:], strict=True):
            done = _collect(pid, fd)
            if done is None:
                results += [fn(item) for item in share]  # the worker failed: redo its share here
                continue
            part, state = done
            results += part
            if merge is not None:
                merge(state)
        workers = []
        return results
    finally:
        for pid, fd in workers:  # stopped early (an error, Ctrl-C): no worker outlives the build
            _kill(pid, fd)


def _fork(fn: Callable[[Any], Any], share: Sequence[Any], gather: Callable[[], Any] | None,
          after: Callable[[], None] | None) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    # The worker. It never returns into the build's code: os._exit skips the build's
    # clean-up (exit handlers, buffered output, the lock's release), which is the build's own.
    status = 1
    try:
        os.close(read)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)  # Ctrl-C stops the worker at once
        results = [fn(item) for item in share]
        payload = pickle.dumps((results, gather() if gather is not None else None), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        status = 0
        if after is not None:
            after()
    except BaseException:  # noqa: BLE001 - any failure: the build redoes this share and reports it there
        pass
    finally:
        os._exit(status)


def _collect(pid: int, fd: int) -> tuple[list[Any], Any] | None:
    """A worker's ``(results, gathered state)``, or ``None`` if it failed.

    Its results are whole once the pipe is closed and they unpickle; the worker may still be
    doing its ``after`` work then, and is waited for by :func:`wait_workers`.
    """
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    try:
        results, state = pickle.loads(data)
    except Exception:  # noqa: BLE001 - cut short (it died, or sent nothing): redone in the build
        _wait(pid)
        return None
    _FINISHING.append(pid)
    return results, state


#: Workers that sent their results and may still be finishing (see ``after`` of :func:`map_jobs`).
_FINISHING: list[int] = []


def wait_workers() -> None:
    """Wait until every worker that sent its results has also finished its ``after`` work."""
    while _FINISHING:
        _wait(_FINISHING.pop())


def _wait(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass


def _kill(pid: int, fd: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.close(fd)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
