"""Business records of the Base (``basic``) module: tenant-owned, pure rules, stdlib only."""
