"""Persistence of the market backend: its tables, tenant-scoped repositories and unit of work."""
