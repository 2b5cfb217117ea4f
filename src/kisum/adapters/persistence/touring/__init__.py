"""Persistence of the touring backend: its tables, tenant-scoped repositories and unit of work."""
