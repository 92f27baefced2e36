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


def currency_places(currency: str) -> int:
    return CURRENCY_PLACES.get(currency, 2)


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    return Decimal(amount).quantize(Decimal(10) ** -currency_places(currency), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    return int(quantize_money(amount, currency).scaleb(currency_places(currency)))


def from_minor_units(minor: int, currency: str) -> Decimal:
    return quantize_money(Decimal(minor).scaleb(-currency_places(currency)), currency)
