"""Money: whole minor units of one ISO 4217 currency; rounding happens once, half-up, where a share is taken.

Amounts are Python ints (never floats). A percentage is in basis points (0 to 10 000 = 0 to 100 %), and
``share`` rounds half-up (away from zero for a negative base) exactly once per result, so sums of
money never change sign by rounding. Adding or comparing amounts of two currencies is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kisum.domain.errors import FieldInvalid, InvalidInput

MAX_AMOUNT: Final = 10**15
"""The largest amount in minor units a field may hold (room for sums in a 64-bit integer)."""
BASIS_POINTS: Final = 10_000

ISO_4217: Final = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR
    MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB
    RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
    TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG
    XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL
    """.split()  # noqa: SIM905 (a table reads better as text)
)
"""Active ISO 4217 alphabetic codes (list published by SIX, 2025)."""


class CurrencyMismatch(InvalidInput):
    """Two amounts of different currencies met where one currency is required (HTTP 400)."""

    code = "CURRENCY_MISMATCH"


def currency_code(value: object, field: str = "currency") -> str:
    """An active ISO 4217 code, upper case (``eur`` → ``EUR``); anything else names the field."""
    if not isinstance(value, str):
        raise FieldInvalid(field, "must be a three-letter ISO 4217 code such as EUR")
    code = value.strip().upper()
    if code not in ISO_4217:
        raise FieldInvalid(field, f"{value!r} is not an ISO 4217 currency code")
    return code


def amount(value: object, field: str, *, minimum: int = 0) -> int:
    """A whole number of minor units between ``minimum`` and ``MAX_AMOUNT``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldInvalid(field, "must be a whole number of minor units")
    if not minimum <= value <= MAX_AMOUNT:
        raise FieldInvalid(field, f"must be between {minimum} and {MAX_AMOUNT}")
    return value


def basis_points(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= BASIS_POINTS:
        raise FieldInvalid(field, f"must be whole basis points between 0 and {BASIS_POINTS}")
    return value


def share(base: int, points: int) -> int:
    """``base * points / 10 000`` rounded half-up (half away from zero), in integers only."""
    numerator = abs(base) * points
    rounded = (numerator * 2 + BASIS_POINTS) // (2 * BASIS_POINTS)
    return rounded if base >= 0 else -rounded


@dataclass(frozen=True, slots=True)
class Money:
    """An amount (may be negative: a result, not an input) in one currency."""

    amount: int
    currency: str

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def _same(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{other.currency} cannot be combined with {self.currency}.")
        return other
