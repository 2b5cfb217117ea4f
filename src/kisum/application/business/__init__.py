"""Use cases of the business backends: one package per module (basic, finance, …), each with
``commands.py`` (commands and their handlers), ``queries.py`` (queries and their handlers) and
``ports.py`` (Protocols); the tenant company always comes in the command or query."""
