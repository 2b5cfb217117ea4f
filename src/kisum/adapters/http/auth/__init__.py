"""The auth role: identity, sessions, tokens and JWKS, memberships and grants, effective access."""
