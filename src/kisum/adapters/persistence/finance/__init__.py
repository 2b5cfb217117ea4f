"""Persistence of the finance backend: its tables, tenant-scoped repositories and unit of work."""
