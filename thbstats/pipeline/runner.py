"""Execute runs with papermill in parallel worker processes, by default in one warm kernel per
worker (``thbstats.pipeline.warm``), with ``Job.warm`` False in a new kernel per run.

Workers are spawned processes (papermill changes the working directory, which threads share);
each imports papermill and nbconvert once and executes one run at a time. A warm kernel whose
notebook failed or which died is shut down, and the worker's next run starts a new one. Outputs
are written to a temporary file and renamed into place, so an interrupted run never leaves half
a notebook.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from thbstats import paths
from thbstats.atomic import write_text_atomic
from thbstats.publish import manifest
from thbstats.testpoints import fail_once

from . import kernel, outputs, warm
from .params import check_injection

NO_DATA = "NoData"  # thbstats.errors.NoData raised in a notebook: the run is empty, not failed


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to execute one run (picklable)."""

    run_id: str
    notebook: Path
    parameters: dict[str, Any]
    root: Path
    output_dir: Path
    geo_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # pipeline.yml's names: of lists
    warm: bool = True  # run in the worker's warm kernel (thbstats.pipeline.warm); False: a new one

    @property
    def notebook_out(self) -> Path:
        return self.output_dir / "notebooks" / f"{self.run_id}.ipynb"

    @property
    def failed_out(self) -> Path:
        return self.output_dir / "notebooks" / f"{self.run_id}.failed.ipynb"

    @property
    def html_out(self) -> Path:
        return self.output_dir / "html" / f"{self.run_id}.html"

    @property
    def log_out(self) -> Path:
        return self.output_dir / "logs" / f"{self.run_id}.log"


@dataclass(frozen=True)
class Result:
    """How a run ended: ``ok`` or ``failed``, where the failure was, what was written."""

    run_id: str
    status: str
    seconds: float
    output: Path | None = None
    cell: int | None = None  # index of the failing cell in the source notebook (0-based)
    cell_line: str = ""  # first line of that cell's source
    error: str = ""
    exec_count: int | None = None  # the failing cell's "In [n]" in the executed notebook
    note: str = ""  # an ok run's warning, e.g. why its charts are empty
    figures: tuple[tuple[str, str], ...] = ()  # (id, content hash) of each figure it exported
    retries: tuple[str, ...] = ()  # why each kernel before the last was retried


def execute(job: Job) -> Result:
    """Run one notebook (in a worker process) and write its notebook and HTML outputs; a kernel
    that fails before the first cell is retried (``thbstats.pipeline.kernel``)."""
    start = time.perf_counter()
    tmp_dir = job.output_dir / ".tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"{job.run_id}.{os.getpid()}.ipynb"
    check_injection(job.parameters)
    total = kernel.attempts()
    retries: list[str] = []
    for attempt in range(1, total + 1):
        outcome = _attempt(job, tmp, start, first=attempt == 1, last=attempt == total)
        if isinstance(outcome, Result):
            return replace(outcome, retries=tuple(retries))
        retries.append(kernel.note_retry(job.log_out, attempt, total, outcome))
        tmp.unlink(missing_ok=True)
    raise AssertionError("unreachable: the last attempt returns a Result")


def _attempt(job: Job, tmp: Path, start: float, first: bool, last: bool) -> Result | str:
    """One kernel's execution of the run: its Result, or why to retry with a fresh kernel."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    execution = f"{os.getpid()}-{time.time_ns()}"  # tells this execution's exports from older ones
    # The kernel this worker starts inherits the environment (which run it is, for the manifest)
    # and stderr (its log file). It runs in the notebook's folder, as in JupyterLab, and finds
    # the project root from there (thbstats.paths; the config checked it is job.root).
    env = {
        "THBSTATS_RUN_ID": job.run_id,
        "THBSTATS_EXECUTION": execution,
        "THBSTATS_GEO_NAMES": json.dumps(dict(job.geo_names)),  # figure names of lists of codes
    }
    os.environ.update(env)
    try:
        with outputs.stderr_to(job.log_out, append=not first):
            fail_once("kernel start", "Kernel died before replying to kernel_info")
            papermill.execute_notebook(
                str(job.notebook),
                str(tmp),
                parameters=job.parameters,
                cwd=str(job.notebook.parent),
                progress_bar=False,
                log_output=False,
                **_engine(job, env),
            )
    except PapermillExecutionError as exc:
        if exc.ename == NO_DATA:  # the notebook says it has nothing to draw: a warning
            return _finish(job, tmp, execution, start, f"no data: {exc.evalue}")
        if job.warm:  # what the failed notebook left behind never reaches the next run
            warm.discard()
        job.failed_out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, job.failed_out)
        return Result(
            job.run_id,
            "failed",
            time.perf_counter() - start,
            job.failed_out,
            outputs.source_index(job.failed_out, exc.cell_index),
            outputs.first_line(exc.source),
            f"{exc.ename}: {exc.evalue}",
            exc.exec_count,
        )
    except Exception as exc:  # kernel died, bad notebook JSON, ... : still one failed run
        reason = f"{type(exc).__name__}: {exc}"
        if job.warm:  # the next attempt, or the next run, starts a new kernel
            _keep_kernel_log(job)
            warm.discard()
        if not last and kernel.never_started(tmp):
            return reason
        kept = outputs.keep_partial(tmp, job.failed_out)
        return Result(
            job.run_id,
            "failed",
            time.perf_counter() - start,
            kept,
            error=f"{reason} (kernel log: {job.log_out})",
        )
    finally:
        for name in ("THBSTATS_RUN_ID", "THBSTATS_EXECUTION", "THBSTATS_GEO_NAMES"):
            os.environ.pop(name, None)
    return _finish(job, tmp, execution, start)


def _engine(job: Job, env: dict[str, str]) -> dict[str, Any]:
    """papermill's engine arguments: none (a new kernel), or the worker's warm kernel made fresh
    for this run."""
    if not job.warm:
        return {}
    km = warm.kernel(job.notebook.parent, job.output_dir / ".tmp")
    warm.fresh(km, job.notebook.parent, env)
    return {"engine_name": warm.ENGINE, "km": km, "kc": warm.client()}


def _keep_kernel_log(job: Job) -> None:
    """Append what the warm kernel wrote to the failed run's log."""
    text = warm.kernel_log()
    if text:
        job.log_out.parent.mkdir(parents=True, exist_ok=True)
        with job.log_out.open("a", encoding="utf-8") as handle:
            handle.write(f"thbstats run: the warm kernel's messages:\n{text}")


def _finish(job: Job, tmp: Path, execution: str, start: float, no_data: str = "") -> Result:
    """A run that ended well (or said it has no data): drop the figures it no longer makes,
    move its notebook and HTML into place, judge it ``ok`` or ``empty``."""
    exported = manifest.finish_run(job.root / "figures", job.run_id, execution)
    write_text_atomic(job.html_out, outputs.render_html(tmp))
    job.notebook_out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, job.notebook_out)
    job.failed_out.unlink(missing_ok=True)
    status, note = ("empty", no_data) if no_data else outputs.judge(exported)
    made = tuple(sorted((f["id"], f.get("hash", "")) for f in exported))
    seconds = time.perf_counter() - start
    return Result(job.run_id, status, seconds, job.notebook_out, note=note, figures=made)


def _prepare_worker() -> None:
    """Set up a worker process: skip a slow import, let kernels find the root, die with the runner.

    jsonschema (through nbformat) imports rfc3987_syntax, which builds a grammar at import
    (about 2 s) only to check the ``iri`` format that no notebook schema uses; blocking it makes
    the worker's ``import papermill, nbconvert`` about 0.9 s. A watchdog thread exits the worker
    when the runner is gone (killed with SIGKILL), so no orphan keeps writing outputs; its kernel
    then exits too (ipykernel watches its parent).
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    # Kernels find the project root from their working directory (the notebook's folder), as in
    # JupyterLab, not from a THBSTATS_ROOT the runner was started with.
    os.environ.pop(paths.ROOT_VARIABLE, None)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="thbstats-parent-watch", daemon=True).start()


def run_jobs(
    jobs: list[Job], workers: int, on_start: Callable[[Job], None] = lambda job: None
) -> Iterator[Result]:
    """Execute jobs in ``workers`` processes; yield each result as soon as it is ready."""
    context = multiprocessing.get_context("spawn")  # workers are children: see _prepare_worker
    pending = list(reversed(jobs))
    running: dict[Future[Result], Job] = {}
    with ProcessPoolExecutor(
        max_workers=max(1, workers), mp_context=context, initializer=_prepare_worker
    ) as pool:
        try:
            while pending or running:
                while pending and len(running) < workers:
                    job = pending.pop()
                    running[pool.submit(execute, job)] = job
                    on_start(job)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    yield _result(future, job)
        finally:
            for future in running:
                future.cancel()


def _result(future: Future[Result], job: Job) -> Result:
    """The result of a finished future; a crashed worker becomes a failed run."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, pickling errors, check_injection refusal
        return Result(job.run_id, "failed", 0.0, None, error=f"{type(exc).__name__}: {exc}")
