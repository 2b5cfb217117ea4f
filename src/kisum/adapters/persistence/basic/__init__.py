"""Persistence of the Base (basic) module: tenant-scoped tables, repositories and the unit of work."""
