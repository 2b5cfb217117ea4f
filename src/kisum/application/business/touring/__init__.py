"""Use cases of the touring backend: commands, queries, their handlers and ports."""
