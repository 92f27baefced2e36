"""A card gateway for tests (`settings.PAYMENT_GATEWAY`): approves every charge, records charges and voids, and
runs `during_charge` while a charge is in flight (to act on the order as a slow card reader would let others)."""

from collections.abc import Callable

from orders.payments_gateway import GatewayResult


class FakeGateway:
    name = "fake"
    charges: list[str] = []
    voids: list[str] = []
    during_charge: Callable[[], None] | None = None

    @classmethod
    def reset(cls) -> None:
        cls.charges, cls.voids, cls.during_charge = [], [], None

    def charge(self, *, location, amount, currency, card_last4, terminal_reference) -> GatewayResult:
        reference = f"fake-{len(FakeGateway.charges) + 1}"
        FakeGateway.charges.append(reference)
        if FakeGateway.during_charge is not None:
            FakeGateway.during_charge()
        return GatewayResult(approved=True, terminal_reference=reference, card_last4=card_last4 or "4242")

    def refund(self, *, location, amount, currency, terminal_reference) -> GatewayResult:
        return GatewayResult(approved=True, terminal_reference=terminal_reference)

    def void(self, *, location, amount, currency, terminal_reference) -> GatewayResult:
        FakeGateway.voids.append(terminal_reference)
        return GatewayResult(approved=True, terminal_reference=terminal_reference)
