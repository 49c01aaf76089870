"""Ingest: registered releases, one reader per publisher (readers/, each with its layout file),
transcribed tables, validation, the build, the datapackage and the audit.

Data flows raw -> readers -> tidy table (validated, audited) -> data/processed/.
"""
