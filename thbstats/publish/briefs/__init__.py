"""One brief per participating State (and OSCE, EU27, TIP Europe): PDF (Typst) and HTML."""

from thbstats.publish.briefs.build import build, targets

__all__ = ["build", "targets"]
