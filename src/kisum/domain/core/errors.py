"""The core context's named errors; each fixes a stable ``code`` for clients."""

from __future__ import annotations

from kisum.domain.errors import Conflict, FieldInvalid, InvalidInput, NotFound


class InvalidKey(InvalidInput):
    code = "INVALID_KEY"


class InvalidName(InvalidInput):
    code = "INVALID_NAME"


class UnknownModule(InvalidInput):
    code = "UNKNOWN_MODULE"


class UnknownPackage(InvalidInput):
    code = "UNKNOWN_PACKAGE"


class UnknownAddon(InvalidInput):
    code = "UNKNOWN_ADDON"


class ModulesRequired(InvalidInput):
    code = "MODULES_REQUIRED"


class InvalidWindow(FieldInvalid):
    """A subscription window that breaks the interval rule (400 naming the field in ``errors``)."""

    code = "INVALID_WINDOW"


class InvalidStatus(InvalidInput):
    code = "INVALID_STATUS"


class ModuleNotFound(NotFound):
    code = "MODULE_NOT_FOUND"


class PackageNotFound(NotFound):
    code = "PACKAGE_NOT_FOUND"


class AddonNotFound(NotFound):
    code = "ADDON_NOT_FOUND"


class CompanyNotFound(NotFound):
    code = "COMPANY_NOT_FOUND"


class SubscriptionNotFound(NotFound):
    code = "SUBSCRIPTION_NOT_FOUND"


class DuplicateKey(Conflict):
    code = "DUPLICATE_KEY"


class InUse(Conflict):
    code = "IN_USE"


class IllegalCompanyTransition(Conflict):
    code = "ILLEGAL_COMPANY_TRANSITION"


class CompanyNotApproved(Conflict):
    code = "COMPANY_NOT_APPROVED"


class ConcurrentUpdate(Conflict):
    code = "CONCURRENT_UPDATE"
