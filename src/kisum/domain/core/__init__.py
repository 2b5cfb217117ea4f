"""Core: the commercial truth — catalog, companies, subscriptions, entitlements."""
