"""Use cases of the market backend: commands, queries, their handlers and ports."""
