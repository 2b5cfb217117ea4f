"""Core use cases: catalog, company registry, subscriptions, entitlements."""
