"""Money helpers: Decimal end to end, rounded half-up to the currency's own minor unit."""

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units for the currencies a cafe is likely to use; anything else has 2.
CURRENCY_PLACES = {
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "VND": 0,
    "HUF": 2,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}
CURRENCY_CHOICES = [
    (code, code)
    for code in (
        "EUR",
        "USD",
        "GBP",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "CAD",
        "AUD",
        "NZD",
        "JPY",
        "KRW",
        "KWD",
        "BHD",
    )
]
MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 3  # storage precision; values are rounded to the currency's places
# The business cap on any one amount and on any one total (an order's, what was paid on it): far below what
# the column holds (10**11), so an amount plus a tip plus a change still fits. Sums over many orders (a
# shift's drawer, a day's roll-up) are stored in wider columns (SUM_MAX_DIGITS) instead of being refused.
MONEY_MAX = Decimal("100000000")
SUM_MAX_DIGITS = 20


def money_in_bounds(amount: Decimal) -> bool:
    """Whether `amount` is a finite Decimal within the business cap, either sign."""
    return amount.is_finite() and abs(amount) <= MONEY_MAX


def currency_places(currency: str) -> int:
    return CURRENCY_PLACES.get(currency, 2)


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    return Decimal(amount).quantize(Decimal(10) ** -currency_places(currency), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    return int(quantize_money(amount, currency).scaleb(currency_places(currency)))


def from_minor_units(minor: int, currency: str) -> Decimal:
    return quantize_money(Decimal(minor).scaleb(-currency_places(currency)), currency)
