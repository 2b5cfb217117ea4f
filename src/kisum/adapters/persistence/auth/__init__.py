"""Auth's persistence: its tables, repositories and unit of work (auth's database only)."""
