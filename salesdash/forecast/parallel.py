"""Fitting many series at once: one BLAS thread per fit, the series spread over the cores.

statsmodels' fits are small Python loops around small matrix products. Letting OpenBLAS start a
thread per core for each of them only burns CPU (issue 12 measured 44.5 s of CPU for 26 s of wall
time, against 22.5 s of CPU with one thread), and on a machine shared with other work it multiplies.
So every fit runs with BLAS pinned to one thread (threadpoolctl), and the series go to worker
processes, one per core this process may use (the GIL keeps threads from fitting in parallel).

Workers are forked from a server that has imported statsmodels once (``forkserver`` with a
preload), so a pool starts in well under a second and never inherits DuckDB's threads; it is kept
for the life of the process and reused by every forecast.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from threadpoolctl import threadpool_limits

# SALESDASH_FORECAST_WORKERS caps the worker processes (1: fit in this process, no pool).
WORKERS_ENV = "SALESDASH_FORECAST_WORKERS"

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity), at most ``$SALESDASH_FORECAST_WORKERS``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cap = os.environ.get(WORKERS_ENV, "").strip()
    if cap.isdigit() and int(cap) > 0:
        return min(cores or 1, int(cap))
    return max(1, cores or 1)


def _one_blas_thread() -> None:
    threadpool_limits(limits=1)


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["salesdash.forecast.models"])
        _pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_one_blas_thread)
        _pool_size = workers
    return _pool


def _call(job: tuple[Callable[..., Any], tuple, dict]) -> Any:
    fn, args, kwargs = job
    return fn(*args, **kwargs)


def fit_many(
    fn: Callable[..., Any], jobs: Sequence[tuple[tuple, dict]], *, workers: int | None = None
) -> list[Any]:
    """``[fn(*args, **kwargs) for args, kwargs in jobs]``, in order, on the available cores.

    ``fn`` and its arguments must pickle (a module-level function, arrays, frames). With one core
    or one job the calls run here, BLAS pinned to one thread all the same. A pool that broke (a
    worker killed) is replaced and the calls are run here, so a forecast never fails for it.
    """
    global _pool
    workers = min(workers or available_cores(), len(jobs))
    if workers <= 1:
        with threadpool_limits(limits=1):
            return [fn(*args, **kwargs) for args, kwargs in jobs]
    try:
        return list(_executor(workers).map(_call, [(fn, a, k) for a, k in jobs]))
    except BrokenProcessPool:
        _pool = None
        with threadpool_limits(limits=1):
            return [fn(*args, **kwargs) for args, kwargs in jobs]
