"""Kisum: the access and entitlement backbone of a live-music SaaS."""
