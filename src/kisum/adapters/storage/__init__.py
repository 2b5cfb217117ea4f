"""Byte storage adapters (uploaded files)."""
