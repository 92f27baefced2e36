"""Where card money is taken. CafePOS never sees a card number: the built-in gateway records what a
separate, stand-alone card terminal did; a provider integration implements the same protocol later."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.models import Location


@dataclass(frozen=True)
class GatewayResult:
    approved: bool
    terminal_reference: str = ""
    card_last4: str = ""
    message: str = ""


class PaymentGateway(Protocol):
    name: str

    def charge(
        self, *, location: Location, amount: Decimal, currency: str, card_last4: str, terminal_reference: str
    ) -> GatewayResult: ...

    def refund(
        self, *, location: Location, amount: Decimal, currency: str, terminal_reference: str
    ) -> GatewayResult: ...

    def void(self, *, location: Location, amount: Decimal, currency: str, terminal_reference: str) -> GatewayResult:
        """Cancel a charge that was approved but never recorded (the order changed while it ran)."""
        ...


class RecordedCardTerminal:
    """The cashier ran the card on the counter terminal and types in its outcome: always approved as recorded."""

    name = "recorded"

    def charge(self, *, location, amount, currency, card_last4, terminal_reference) -> GatewayResult:
        return GatewayResult(approved=True, terminal_reference=terminal_reference, card_last4=card_last4)

    def refund(self, *, location, amount, currency, terminal_reference) -> GatewayResult:
        return GatewayResult(approved=True, terminal_reference=terminal_reference)

    def void(self, *, location, amount, currency, terminal_reference) -> GatewayResult:
        return GatewayResult(approved=True, terminal_reference=terminal_reference)


def payment_gateway(location: Location) -> PaymentGateway:
    """The gateway of a location: `settings.PAYMENT_GATEWAY` (the recorded card terminal unless a test or a
    provider integration names another class)."""
    return import_string(settings.PAYMENT_GATEWAY)()
