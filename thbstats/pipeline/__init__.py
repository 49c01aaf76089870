"""The notebook pipeline: ``thbstats run`` executes notebooks/pipeline.yml with papermill.

Wire it into the CLI with ``add_arguments(subparser)`` and ``main(args) -> int``. Importing
this package stays light (no papermill, pandas or matplotlib) so an up-to-date run is instant.
"""

from .cli import add_arguments, main

__all__ = ["add_arguments", "main"]
