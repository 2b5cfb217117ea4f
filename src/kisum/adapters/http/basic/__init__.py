"""The Base (basic) backend: /api/... behind the enforcement kit, module ``basic``."""
