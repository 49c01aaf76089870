"""Publish: charts (data, then drawing), export, the manifest, the gallery and the profiles.

Takes tables from the analysis and writes figures/.
"""
