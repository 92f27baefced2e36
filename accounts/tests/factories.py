import secrets

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Location, Membership, Organization, Role, Terminal, User
from accounts.services import credential_hash


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Cafe {n}")
    time_zone = "Europe/Paris"
    currency = "EUR"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password `password`; pass `pin="1234"` to give a PIN."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.LazyFunction(lambda: make_password("password"))

    @factory.post_generation
    def pin(self, create, value, **kwargs):
        if value:
            self.pin_hash = make_password(value)
            if create:
                self.save(update_fields=["pin_hash"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    location = factory.SubFactory(LocationFactory)
    role = Role.CASHIER


def staff(location, role=Role.CASHIER, **user_fields) -> User:
    """A user with `role` at `location` (admin access follows the role, as the service keeps it)."""
    user = UserFactory(is_staff=role in (Role.OWNER, Role.MANAGER), **user_fields)
    MembershipFactory(user=user, location=location, role=role)
    return user


class TerminalFactory(factory.django.DjangoModelFactory):
    """A paired terminal; use `paired_terminal()` when the test needs the device secret too."""

    class Meta:
        model = Terminal

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Till {n}")
    kind = Terminal.Kind.POS
    secret_hash = factory.Sequence(lambda n: credential_hash(f"terminal-secret-{n}"))
    paired_by = factory.SubFactory(UserFactory)


def paired_terminal(**fields) -> tuple[Terminal, str]:
    """A terminal and the plain device secret its browser cookie would hold."""
    secret = secrets.token_urlsafe(32)
    return TerminalFactory(secret_hash=credential_hash(secret), **fields), secret
