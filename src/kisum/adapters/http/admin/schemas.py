"""Admin's own bodies and answers; catalog, company, subscription, permission and owner bodies are
the wire contracts it proxies (``kisum.adapters.contracts``)."""

from __future__ import annotations

from kisum.adapters.contracts.companies import CompanyOut
from kisum.adapters.contracts.owners import OwnerOut
from kisum.adapters.contracts.wire import Email, Name, Password
from kisum.adapters.http.common.schemas import Body, Out


class OwnerInput(Body):
    email: Email
    name: Name
    password: Password | None = None
    """Needed when the email has no account yet; an existing account keeps its password."""


class ApproveBody(Body):
    owner: OwnerInput


class ApprovalOut(Out):
    company: CompanyOut
    owner: OwnerOut
