"""Admin → auth: a company's owner membership (``POST /internal/owners``), creating the user if new.

Idempotent on (company, email): auth answers 201 when it created the membership, 200 with the
same ids afterwards.
"""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.contracts.wire import Body, Email, Name, Out, Password


class OwnerBody(Body):
    company_id: UUID
    email: Email
    name: Name
    password: Password | None = None


class OwnerOut(Out):
    user_id: UUID
    membership_id: UUID
