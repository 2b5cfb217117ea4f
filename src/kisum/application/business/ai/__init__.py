"""Use cases of the ai backend: commands, queries, their handlers and ports."""
