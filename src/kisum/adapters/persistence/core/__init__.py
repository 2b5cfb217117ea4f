"""Core persistence: tables, repositories, unit of work, read models, outbox."""
