"""Persistence of the venue backend: its tables, tenant-scoped repositories and unit of work."""
