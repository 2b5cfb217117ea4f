"""Admin's own bodies and answers; catalog, company and subscription bodies are core's (the same
contract, proxied), permission and owner answers are auth's."""

from __future__ import annotations

from typing import Annotated

import msgspec

from kisum.adapters.http.auth.schemas import OwnerOut
from kisum.adapters.http.common.schemas import Body, Out
from kisum.adapters.http.core.schemas import CompanyOut

Email = Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


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
