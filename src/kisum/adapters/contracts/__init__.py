"""Wire contracts between roles: the bodies one role sends and another reads, written once.

Servers encode these Structs and their clients decode the same ones, so a field cannot drift
between the two sides. One module per conversation:

- ``access``       auth → business backends: ``GET /auth/me/access`` (the access model)
- ``entitlements`` core → auth, admin: a company's entitlements and the subscription changes
- ``catalog``      core ↔ admin: modules, packages and addons
- ``companies``    core ↔ admin: the company registry
- ``events``       core → auth: ``POST /internal/events/entitlements-changed``
- ``permissions``  admin → auth: the permission catalog
- ``owners``       admin → auth: a company's owner membership
- ``users``        admin → auth: a user, and whether an access token of theirs is still good

``wire`` holds the JSON conventions every role's API shares (DESIGN §4). Contracts import msgspec
and the standard library only (import-linter): what a role does with a body is its own business.
"""
