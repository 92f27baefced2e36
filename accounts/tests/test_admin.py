"""The back office through real admin requests: owners manage their organization, managers their location."""

import pytest
from django.contrib.auth.hashers import check_password
from django.forms.models import model_to_dict

from accounts.models import ADDRESS_MAX_LENGTH, Membership, Role, Terminal, User
from accounts.tests.conftest import use_terminal
from accounts.tests.factories import LocationFactory, MembershipFactory, TerminalFactory, paired_terminal, staff

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"
TERMINALS = "/admin/accounts/terminal/"


@pytest.fixture
def owner(location):
    return staff(location, Role.OWNER, full_name="Olivia Owner", email="olivia@example.com")


@pytest.fixture
def other_org_staff():
    return staff(LocationFactory(name="Rival Roasters"), Role.CASHIER, full_name="Rita Rival")


def membership_formset(*rows, initial=0):
    data = {
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"memberships-{index}-{key}": value for key, value in row.items()})
    return data


def test_owner_sees_their_organization_s_staff_and_not_another_s(client, owner, cashier, other_org_staff):
    second_location = LocationFactory(organization=owner.memberships.get().location.organization)
    colleague = staff(second_location, Role.KITCHEN, full_name="Kai Kitchen")
    client.force_login(owner)

    page = client.get(USERS)

    assert page.status_code == 200
    listed = set(page.context["cl"].result_list)
    assert listed == {owner, cashier, colleague}
    assert b"Rita Rival" not in page.content
    assert client.get(f"{USERS}{other_org_staff.pk}/change/").status_code == 302  # "does not exist" → index


def test_manager_cannot_manage_staff_but_sees_their_terminals(client, location, manager):
    TerminalFactory(location=location, name="Front till")
    TerminalFactory(location=LocationFactory(organization=location.organization), name="Sister cafe till")
    client.force_login(manager)

    assert client.get(USERS).status_code == 403
    terminals = client.get(TERMINALS)
    assert terminals.status_code == 200
    assert [t.name for t in terminals.context["cl"].result_list] == ["Front till"]


def test_cashier_and_kitchen_are_sent_to_the_admin_login(client, location, cashier):
    cook = staff(location, Role.KITCHEN)
    for user in (cashier, cook):
        client.force_login(user)

        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_owner_adds_staff_with_a_hashed_pin_and_admin_access_following_the_role(client, location, owner):
    client.force_login(owner)
    form = {"email": "New.Barista@Example.com", "full_name": "Nina New", "is_active": "on", "new_pin": "4321"}
    form.update(membership_formset({"location": location.pk, "role": Role.MANAGER, "is_active": "on"}))

    response = client.post(f"{USERS}add/", form)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    user = User.objects.get(email="new.barista@example.com")
    assert user.pin_hash != "4321" and check_password("4321", user.pin_hash)
    assert not user.has_usable_password()
    assert user.is_staff
    membership = user.memberships.get()

    change = {"email": user.email, "full_name": user.full_name, "is_active": "on"}
    change.update(
        membership_formset(
            {"id": membership.pk, "user": user.pk, "role": Role.CASHIER, "is_active": "on"},
            initial=1,
        )
    )
    response = client.post(f"{USERS}{user.pk}/change/", change)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.memberships.get().role == Role.CASHIER
    assert not user.is_staff


def test_new_staff_must_have_a_role(client, owner):
    client.force_login(owner)
    form = {"email": "nobody@example.com", "full_name": "No Role", "is_active": "on"}
    form.update(membership_formset())

    response = client.post(f"{USERS}add/", form)

    assert response.status_code == 200
    assert not User.objects.filter(email="nobody@example.com").exists()


def test_owner_cannot_give_a_role_at_another_organization_s_location(client, owner, cashier):
    elsewhere = LocationFactory()
    client.force_login(owner)
    change = {"email": cashier.email, "full_name": cashier.full_name, "is_active": "on"}
    change.update(membership_formset({"user": cashier.pk, "location": elsewhere.pk, "role": Role.MANAGER}))

    response = client.post(f"{USERS}{cashier.pk}/change/", change)

    assert response.status_code == 200  # the form is shown again with the error
    assert not Membership.objects.filter(location=elsewhere).exists()


def test_a_bad_pin_is_a_form_error(client, owner, cashier):
    client.force_login(owner)
    change = {"email": cashier.email, "full_name": cashier.full_name, "is_active": "on", "new_pin": "12ab"}
    change.update(membership_formset())

    response = client.post(f"{USERS}{cashier.pk}/change/", change)

    assert response.status_code == 200
    assert b"A PIN is 4 to 6 digits." in response.content
    cashier.refresh_from_db()
    assert check_password("2222", cashier.pin_hash)


def test_login_details_of_someone_who_also_works_elsewhere_stay_out_of_reach(client, owner, cashier):
    MembershipFactory(user=cashier, location=LocationFactory(name="Rival Roasters"), role=Role.CASHIER)
    client.force_login(owner)

    page = client.get(f"{USERS}{cashier.pk}/change/")

    assert page.status_code == 200
    assert b"Rival Roasters" not in page.content  # their role elsewhere is not shown either
    assert b'name="new_pin"' not in page.content and b'name="new_password"' not in page.content
    assert b'name="email"' not in page.content


def test_revoke_action_ends_the_terminal_s_access(client, location, manager, cashier):
    terminal, secret = paired_terminal(location=location)
    till = use_terminal(client.__class__(), secret)
    till.post("/terminal/login/", {"staff": cashier.pk, "pin": "2222"})
    client.force_login(manager)

    response = client.post(TERMINALS, {"action": "revoke", "_selected_action": [terminal.pk]})

    assert response.status_code == 302
    terminal.refresh_from_db()
    assert terminal.revoked_at is not None
    assert till.get("/pos/")["Location"] == "/terminal/pair/"


def test_unlock_action_clears_pin_lockouts(client, settings, location, manager, cashier):
    terminal, secret = paired_terminal(location=location)
    till = use_terminal(client.__class__(), secret)
    for _ in range(settings.PIN_MAX_FAILURES):
        till.post("/terminal/login/", {"staff": cashier.pk, "pin": "0000"})
    assert till.post("/terminal/login/", {"staff": cashier.pk, "pin": "2222"}).status_code == 429
    client.force_login(manager)

    client.post(TERMINALS, {"action": "unlock_pin_lockouts", "_selected_action": [terminal.pk]})

    assert till.post("/terminal/login/", {"staff": cashier.pk, "pin": "2222"})["Location"] == "/pos/"


def test_actions_cannot_reach_another_location_s_terminal(client, manager):
    foreign = TerminalFactory(location=LocationFactory())
    client.force_login(manager)

    client.post(TERMINALS, {"action": "revoke", "_selected_action": [foreign.pk]})

    assert Terminal.objects.get(pk=foreign.pk).revoked_at is None


def test_manager_views_their_location_but_only_an_owner_changes_it(client, location, manager, owner):
    client.force_login(manager)
    url = f"/admin/accounts/location/{location.pk}/change/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Renamed"}).status_code == 403

    client.force_login(owner)
    assert client.get(url).status_code == 200
    assert b'name="name"' in client.get(url).content


def test_owner_sees_only_their_organization(client, owner, other_org_staff):
    client.force_login(owner)

    page = client.get("/admin/accounts/organization/")

    assert page.status_code == 200
    assert [o.pk for o in page.context["cl"].result_list] == [owner.memberships.get().location.organization_id]


def test_an_owner_sets_what_receipts_say_about_the_seller_within_bounded_lengths(client, location, owner):
    client.force_login(owner)
    url = f"/admin/accounts/location/{location.pk}/change/"
    form = {key: value for key, value in model_to_dict(location).items() if value is not None}
    seller = {"legal_name": "Café Lumière SAS", "tax_number": "FR40123456789", "receipt_footer": "Wi-Fi: lumiere"}

    too_long = client.post(url, {**form, **seller, "address": "x" * (ADDRESS_MAX_LENGTH + 1)})
    saved = client.post(url, {**form, **seller, "address": "12 rue de la Paix\r\n75002 Paris"})

    assert too_long.status_code == 200 and "address" in too_long.context["adminform"].form.errors
    assert saved.status_code == 302
    location.refresh_from_db()
    assert (location.legal_name, location.address, location.tax_number, location.receipt_footer) == (
        "Café Lumière SAS",
        "12 rue de la Paix\n75002 Paris",
        "FR40123456789",
        "Wi-Fi: lumiere",
    )
    assert "On receipts" in client.get(url).content.decode()
