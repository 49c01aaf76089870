"""``python -m thbstats.pipeline``: the same as ``thbstats run``."""

import argparse
import sys

from . import add_arguments, main

parser = argparse.ArgumentParser(prog="thbstats run", description=__doc__)
add_arguments(parser)
sys.exit(main(parser.parse_args()))
