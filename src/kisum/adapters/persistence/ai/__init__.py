"""Persistence of the ai backend: its tables, tenant-scoped repositories and unit of work."""
