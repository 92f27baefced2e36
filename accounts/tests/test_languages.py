"""Which language a request is answered in: the API by Accept-Language, a terminal by its location unless the
staff member chose their own for the session, the back office by the user's own choice. The effects asserted are
Django's and DRF's own shipped translations ("This field is required." in German: "Dieses Feld ist zwingend
erforderlich.")."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.languages import SESSION_LANGUAGE_KEY
from accounts.models import Role, Terminal
from accounts.tests.factories import LocationFactory, paired_terminal, staff

pytestmark = pytest.mark.django_db

PIN = "2468"
REQUIRED = {
    "en": "This field is required.",
    "de": "Dieses Feld ist zwingend erforderlich.",
    "fr": "Ce champ est obligatoire.",
}


def till(location_language: str):
    """A POS terminal at a location speaking `location_language`, a cashier signed in on it: (client, cashier)."""
    location = LocationFactory(language=location_language)
    terminal, secret = paired_terminal(location=location, kind=Terminal.Kind.POS)
    cashier = staff(location, Role.CASHIER, pin=PIN)
    client = Client()
    client.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    assert client.post("/terminal/login/", {"staff": cashier.pk, "pin": PIN}).status_code == 302
    return client, cashier


def picker_refusal(client) -> str:
    """The language picker refuses an empty choice with Django's own message, in the page's language."""
    response = client.post("/terminal/language/", {"language": ""})
    assert response.status_code == 400
    return response.content.decode()


# -- the API --------------------------------------------------------------------------------------------------


def test_the_api_answers_in_the_accept_language_and_says_so():
    response = APIClient().post(
        "/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5"
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]
    error = response.json()["error"]
    assert error["code"] == "validation_error"  # codes stay English and stable
    assert error["fields"]["email"] == [REQUIRED["de"]]


@pytest.mark.parametrize("header", ["xx-YY", "", "de" * 5000, "*;q=abc", "\u202ede"])
def test_the_api_answers_in_english_to_an_unknown_or_hostile_accept_language(header):
    response = APIClient().post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE=header)

    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["error"]["fields"]["email"] == [REQUIRED["en"]]


# -- terminals ------------------------------------------------------------------------------------------------


def test_a_terminal_speaks_its_location_language():
    client, _ = till("de")

    assert client.get("/pos/")["Content-Language"] == "de"
    assert REQUIRED["de"] in picker_refusal(client)


def test_a_cashier_reads_their_own_language_at_the_till_for_their_session_only():
    client, cashier = till("fr")  # a French cafe

    response = client.post("/terminal/language/", {"language": "de", "next": "/pos/orders/"})

    assert response.status_code == 302 and response["Location"] == "/pos/orders/"
    assert client.get("/pos/")["Content-Language"] == "de"
    assert REQUIRED["de"] in picker_refusal(client)
    # signing out ends the choice: the next session at this till is in French again
    client.post("/terminal/logout/")
    assert client.post("/terminal/login/", {"staff": cashier.pk, "pin": PIN}).status_code == 302
    assert SESSION_LANGUAGE_KEY not in client.session
    assert client.get("/pos/")["Content-Language"] == "fr"


def test_the_choice_made_on_the_sign_in_page_carries_into_the_session():
    location = LocationFactory(language="fr")
    terminal, secret = paired_terminal(location=location, kind=Terminal.Kind.POS)
    cashier = staff(location, Role.CASHIER, pin=PIN)
    client = Client()
    client.cookies[settings.TERMINAL_COOKIE_NAME] = secret

    assert "/terminal/language/" in client.get("/terminal/login/").content.decode()
    client.post("/terminal/language/", {"language": "de"})
    client.post("/terminal/login/", {"staff": cashier.pk, "pin": PIN})

    assert client.get("/pos/")["Content-Language"] == "de"


@pytest.mark.parametrize("language", ["xx", "de" * 1000, "DE", "de\x00", "en-us"])
def test_the_till_picker_refuses_a_language_not_offered_with_a_field_message(language):
    client, _ = till("en")

    response = client.post("/terminal/language/", {"language": language})

    assert response.status_code == 400
    assert "Choose one of the languages offered." in response.content.decode()
    assert SESSION_LANGUAGE_KEY not in client.session


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "0", "-Infinity", "admin:index"])
def test_the_pickers_go_back_only_to_a_page_of_this_site(next_url):
    client, _ = till("en")
    back_office, _ = manager_client()

    till_answer = client.post("/terminal/language/", {"language": "de", "next": next_url})
    back_office_answer = back_office.post("/backoffice/language/", {"language": "de", "next": next_url})

    assert till_answer.status_code == 302 and till_answer["Location"] == "/terminal/login/"
    assert back_office_answer.status_code == 302 and back_office_answer["Location"] == "/admin/"


def test_the_till_picker_needs_a_paired_terminal_and_csrf():
    assert Client().post("/terminal/language/", {"language": "de"})["Location"] == "/terminal/pair/"
    client, _ = till("en")
    client.handler.enforce_csrf_checks = True
    assert client.post("/terminal/language/", {"language": "de"}).status_code == 403


def test_the_pos_top_bar_links_to_the_picker():
    client, _ = till("en")

    assert 'href="/terminal/language/?next=/pos/"' in client.get("/pos/").content.decode()


# -- the back office ------------------------------------------------------------------------------------------


def manager_client(language=""):
    manager = staff(LocationFactory(language="fr"), Role.MANAGER, language=language)
    client = Client()
    client.force_login(manager)
    return client, manager


def test_the_back_office_follows_the_user_choice_over_the_browser():
    client, _ = manager_client(language="de")

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response["Content-Language"] == "de"
    assert "Abmelden" in response.content.decode()  # the admin's own "Log out"


def test_the_back_office_follows_the_browser_when_the_user_chose_none():
    client, _ = manager_client()

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert response["Content-Language"] == "fr"
    assert "Déconnexion" in response.content.decode()


def test_a_manager_chooses_the_back_office_language_once_for_every_device():
    client, manager = manager_client()
    assert 'href="/backoffice/language/?next=/admin/"' in client.get("/admin/").content.decode()

    response = client.post("/backoffice/language/", {"language": "de", "next": "/backoffice/reports/"})

    assert response.status_code == 302 and response["Location"] == "/backoffice/reports/"
    manager.refresh_from_db()
    assert manager.language == "de"
    other_device = Client()
    other_device.force_login(manager)
    assert other_device.get("/admin/")["Content-Language"] == "de"
    client.post("/backoffice/language/", {"language": ""})  # back to the browser's
    manager.refresh_from_db()
    assert manager.language == ""


@pytest.mark.parametrize(
    "form", [{"language": "xx"}, {"language": "x" * 10_000}, {"language": "de", "next": "/" * 501}]
)
def test_the_back_office_picker_refuses_hostile_input_with_a_field_message(form):
    client, manager = manager_client()

    response = client.post("/backoffice/language/", form)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the languages offered." in page or "at most 500 characters" in page
    manager.refresh_from_db()
    assert manager.language == ""


def test_the_back_office_picker_is_not_for_a_pin_session():
    client, _ = till("en")

    assert client.get("/backoffice/language/").status_code == 302  # to the admin's sign-in
