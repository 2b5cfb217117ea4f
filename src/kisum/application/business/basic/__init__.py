"""Use cases of the Base backend: generic ones for every declared resource, and files, dashboard, profile."""
