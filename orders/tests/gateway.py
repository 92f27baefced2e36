"""A card gateway for tests (`settings.PAYMENT_GATEWAY`): approves every charge, records charges, refunds and voids,
runs `during_charge` while a charge is in flight (to act on the order as a slow card reader would let others), and
declines refunds with the message `refund_declined` when it is set ("" for a decline with no message)."""

from collections.abc import Callable

from orders.payments_gateway import GatewayResult


class FakeGateway:
    name = "fake"
    charges: list[str] = []
    voids: list[str] = []
    refunds: list[tuple] = []
    during_charge: Callable[[], None] | None = None
    refund_declined: str | None = None

    @classmethod
    def reset(cls) -> None:
        cls.charges, cls.voids, cls.refunds, cls.during_charge, cls.refund_declined = [], [], [], None, None

    def charge(self, *, location, amount, currency, card_last4, terminal_reference) -> GatewayResult:
        reference = f"fake-{len(FakeGateway.charges) + 1}"
        FakeGateway.charges.append(reference)
        if FakeGateway.during_charge is not None:
            FakeGateway.during_charge()
        return GatewayResult(approved=True, terminal_reference=reference, card_last4=card_last4 or "4242")

    def refund(self, *, location, amount, currency, terminal_reference) -> GatewayResult:
        """Records (location id, amount, currency, reference) of what it was asked to give back."""
        FakeGateway.refunds.append((location.pk, amount, currency, terminal_reference))
        if FakeGateway.refund_declined is not None:
            return GatewayResult(approved=False, message=FakeGateway.refund_declined)
        return GatewayResult(approved=True, terminal_reference=f"{terminal_reference}-refund")

    def void(self, *, location, amount, currency, terminal_reference) -> GatewayResult:
        FakeGateway.voids.append(terminal_reference)
        return GatewayResult(approved=True, terminal_reference=terminal_reference)
