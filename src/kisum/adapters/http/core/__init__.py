"""The core role app."""
