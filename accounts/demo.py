"""The demo cafe's organization, locations and staff (demo data only, never in migrations)."""

from decimal import Decimal

from .models import Location, Membership, Organization, Role, User
from .services import membership_set, user_create

DEMO_ORGANIZATION = "Demo Coffee Co."
DEMO_LOCATIONS = [
    {"name": "Demo Cafe Central", "time_zone": "Europe/Paris", "currency": "EUR", "country": "FR", "language": "en"},
    {
        "name": "Demo Cafe Harbour",
        "time_zone": "Europe/Berlin",
        "currency": "EUR",
        "country": "DE",
        "language": "de",
        "void_sent_needs_manager": True,
    },
]
# What the demo's receipts say about the seller; set only where a location has left them blank.
DEMO_RECEIPT_DETAILS = {
    "Demo Cafe Central": {
        "legal_name": "Demo Coffee Co. SAS",
        "address": "12 rue de la Paix\n75002 Paris, France",
        "tax_number": "FR40123456789",
        "receipt_footer": "Open daily 7:00–19:00 · Wi-Fi: democafe / espresso",
    },
    "Demo Cafe Harbour": {
        "legal_name": "Demo Coffee Co. GmbH",
        "address": "Am Sandtorkai 1\n20457 Hamburg, Deutschland",
        "tax_number": "DE123456789",
        "receipt_footer": "Danke für Ihren Besuch!",
    },
}
# (email, password, full name, PIN, role at the first location); the owner owns both locations.
DEMO_STAFF = [
    ("owner@example.com", "cafepos-owner", "Olivia Owner", None, Role.OWNER),
    ("manager@example.com", "cafepos-manager", "Max Manager", "1111", Role.MANAGER),
    ("cashier@example.com", "cafepos-cashier", "Cleo Cashier", "2222", Role.CASHIER),
    ("kitchen@example.com", "cafepos-kitchen", "Kai Kitchen", "3333", Role.KITCHEN),
]


def seed_accounts() -> list[Location]:
    """Create what is missing of the demo organization, its two locations and the four demo logins. Idempotent:
    an existing login keeps its password, PIN and roles (the owner may have changed them), so its sessions and
    tokens stay valid across `make serve` restarts."""
    organization, _ = Organization.objects.get_or_create(name=DEMO_ORGANIZATION)
    locations = []
    for spec in DEMO_LOCATIONS:
        location, _ = Location.objects.get_or_create(
            organization=organization,
            name=spec["name"],
            defaults={**spec, "discount_approval_percent": Decimal("10.00")},
        )
        _receipt_details_fill(location, DEMO_RECEIPT_DETAILS[spec["name"]])
        locations.append(location)
    for email, password, full_name, pin, role in DEMO_STAFF:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_create(email=email, password=password, full_name=full_name, pin=pin)
        for location in locations if role == Role.OWNER else locations[:1]:
            if not Membership.objects.filter(user=user, location=location).exists():
                membership_set(user=user, location=location, role=role)
    return locations


def _receipt_details_fill(location: Location, details: dict[str, str]) -> None:
    """Fill the demo's receipt details an owner has left blank; never overwrite what they typed."""
    missing = {field: value for field, value in details.items() if not getattr(location, field)}
    for field, value in missing.items():
        setattr(location, field, value)
    if missing:
        location.save(update_fields=list(missing))
