"""Use cases of the finance backend: commands, queries, their handlers and ports."""
