"""Warm kernels (``thbstats run``'s default; ``--fresh`` starts a new kernel per run): one kernel
per worker, reused by the worker's runs, each notebook in a fresh namespace.

A fresh kernel per run is papermill's model; it costs every run the kernel's start and the
imports of pandas and matplotlib (the floor of ``make bench``). A warm kernel pays them once per
worker. Before each notebook the kernel is made fresh: its figures closed, its namespace emptied
(IPython's reset, the execution count back to 1), matplotlib's settings, the warning filters and
pandas' options, numpy's error handling, the root logger, ``sys.path`` and the environment
restored to the kernel's first ones, its working directory and the run's variables (which run
it is, for the manifest) set; imported modules stay (thbstats' module-level caches are keyed by
the files they read, which a run does not change). A kernel whose notebook failed, or that
died, is replaced before the next run (``thbstats.pipeline.runner``); the kernel's own messages
go to ``<output>/.tmp/kernel-<pid>.log`` and, when a run fails, to the end of the run's log.
"""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path
from typing import Any

ENGINE = "thbstats-warm"
_STATE: dict[str, Any] = {}  # this worker's kernel manager and the file its kernel writes to

START = """
import logging, os, sys, types, warnings
import matplotlib, matplotlib.pyplot, numpy
_state = types.ModuleType("_thbstats_warm")
_state.rc = dict(matplotlib.rcParams)
_state.filters = list(warnings.filters)
_state.environ = dict(os.environ)
_state.path = list(sys.path)
_state.numpy_errors = numpy.geterr()
_state.logging = (list(logging.root.handlers), logging.root.level)
sys.modules["_thbstats_warm"] = _state
del logging, os, sys, types, warnings, matplotlib, numpy, _state
"""

FRESH = """
import matplotlib.pyplot as _plt
_plt.close("all")
get_ipython().reset(new_session=True)
import os as _os, sys as _sys, warnings as _warnings
import matplotlib as _mpl, matplotlib.pyplot as _plt
_state = _sys.modules["_thbstats_warm"]
with _warnings.catch_warnings():
    _warnings.simplefilter("ignore")
    _mpl.rcParams.update(_state.rc)
    if "pandas" in _sys.modules:
        _sys.modules["pandas"].reset_option("all")
if _mpl.get_backend() != _state.rc["backend"]:
    _plt.switch_backend(_state.rc["backend"])
_warnings.filters[:] = _state.filters
_sys.path[:] = _state.path
_sys.modules["numpy"].seterr(**_state.numpy_errors)
_logging = _sys.modules["logging"]
_logging.root.handlers[:] = _state.logging[0]
_logging.root.setLevel(_state.logging[1])
_os.chdir(CWD)
_os.environ.clear()
_os.environ.update(_state.environ)
_os.environ.update(ENV)
del _os, _sys, _warnings, _mpl, _plt, _state, _logging
"""


def kernel(cwd: Path, tmp_dir: Path, kernel_name: str = "python3"):
    """This worker's kernel, started (or started again after it died) in ``cwd``."""
    km = _STATE.get("km")
    if km is not None and km.is_alive():
        return km
    from jupyter_client.manager import KernelManager

    _register_engine()
    tmp_dir.mkdir(parents=True, exist_ok=True)
    log = tmp_dir / f"kernel-{os.getpid()}.log"
    stderr = log.open("ab")
    km = KernelManager(kernel_name=kernel_name)
    if not _STATE.pop("at_exit", False):
        atexit.register(shutdown)
    _STATE.update(km=km, log=log, stderr=stderr, at_exit=True)
    km.start_kernel(cwd=str(cwd), stderr=stderr)
    # One client for the kernel's life: waiting for a new client to be ready costs 0.2 s or more
    # (jupyter_client drains IOPub until it is quiet for 0.2 s), twice a run. Every request is
    # matched to its replies by message id, so a run never sees another's messages.
    kc = km.client()
    kc.start_channels()
    _STATE["kc"] = kc
    kc.wait_for_ready(timeout=60)
    _execute(START)
    _STATE["async_kc"] = _async_client(km)
    return km


def _async_client(km):
    """An asynchronous client of the kernel for nbclient: while it waits for a cell's reply it
    also checks the kernel's heartbeat, so a kernel that dies fails the run instead of hanging."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_core.utils import run_sync

    kc = AsyncKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    run_sync(kc.wait_for_ready)(timeout=60)
    return kc


def client():
    """The asynchronous client of this worker's kernel (its channels open), for papermill."""
    return _STATE["async_kc"]


def fresh(km, cwd: Path, env: dict[str, str]) -> None:
    """Make the kernel as a new one for the next notebook (see the module's docstring)."""
    code = FRESH.replace("CWD", json.dumps(str(cwd))).replace("ENV", json.dumps(env))
    _execute(code)


def _execute(code: str) -> None:
    """Run ``code`` silently in the kernel; raise RuntimeError when it fails."""
    reply = _STATE["kc"].execute_interactive(code, silent=True, store_history=False, timeout=60)
    content = reply.get("content", {})
    if content.get("status") != "ok":
        raise RuntimeError(
            f"warm kernel: {content.get('ename', 'error')}: {content.get('evalue', '')}"
        )


def kernel_log() -> str:
    """What the kernel wrote to its stderr so far (for a failed run's log)."""
    log = _STATE.get("log")
    try:
        return log.read_text(encoding="utf-8", errors="replace") if log else ""
    except OSError:
        return ""


def discard() -> None:
    """Forget a kernel that failed: the next run starts a new one."""
    shutdown()
    at_exit = _STATE.get("at_exit", False)
    _STATE.clear()
    _STATE["at_exit"] = at_exit


def shutdown() -> None:
    """Stop this worker's kernel (at exit, or when it failed)."""
    for name in ("kc", "async_kc"):
        if _STATE.get(name) is not None:
            _STATE[name].stop_channels()
    km = _STATE.get("km")
    if km is not None:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
    stderr = _STATE.get("stderr")
    if stderr is not None:
        stderr.close()


def _register_engine() -> None:
    """papermill's nbclient engine on the worker's kernel and client, saving the output notebook
    at the start and the end of a run (and papermill's timed autosave), not at every cell."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.log import logger

    class Manager(NotebookExecutionManager):
        """Each save writes and validates the whole notebook, images included (twice per cell
        otherwise); the end of a run, failed or not, saves it with every cell's start time."""

        def cell_start(self, cell, cell_index=None, **kwargs):
            self._without_save(super().cell_start, cell, cell_index, **kwargs)

        def cell_complete(self, cell, cell_index=None, **kwargs):
            self._without_save(super().cell_complete, cell, cell_index, **kwargs)

        def _without_save(self, method, *args, **kwargs):
            self.save = lambda **_: None  # type: ignore[method-assign]
            try:
                method(*args, **kwargs)
            finally:
                del self.save
            self.autosave_cell()

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True,
                             log_output=False, autosave_cell_every=30, **kwargs):  # fmt: skip
            nb_man = Manager(nb, output_path=output_path, progress_bar=progress_bar,
                             log_output=log_output, autosave_cell_every=autosave_cell_every)  # fmt: skip
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, **kwargs):
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man,
                km=kwargs.pop("km"),
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                startup_timeout=kwargs.get("start_timeout", 60),
                timeout=kwargs.get("execution_timeout"),
                stdout_file=kwargs.get("stdout_file"),
                stderr_file=kwargs.get("stderr_file"),
            )
            client.kc = kwargs.pop("kc")  # the worker's client: nbclient neither waits nor closes
            return client.execute()

    papermill_engines.register(ENGINE, WarmEngine)
