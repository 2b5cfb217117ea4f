"""Use cases of the venue backend: commands, queries, their handlers and ports."""
