"""Analysis: metrics (sums with coverage and "<5" bounds, shares, ratios), claims, revisions, MSE.

Reads the tidy table; never parses a raw file.
"""
