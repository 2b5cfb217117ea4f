"""Command and query handlers; ports are Protocols that the adapters implement."""
