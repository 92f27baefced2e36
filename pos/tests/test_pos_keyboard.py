"""The POS from a keyboard: the PIN typed on the sign-in page, Escape and Enter in the register's dialogs, a focus
ring that shows, and no motion for those who asked for less. (The kitchen display's keys:
realtime/tests/test_kitchen_accessibility.py.)"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .pos import PIN
from .pos_browser import add_item, open_register, tile

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_pin_is_typed_on_the_keyboard_backspace_deletes_and_enter_signs_in(pos, asgi_server, pos_cafe):
    pos.context.add_cookies([{"name": settings.TERMINAL_COOKIE_NAME, "value": pos_cafe.secret, "url": asgi_server.url}])
    pos.goto(f"{asgi_server.url}/terminal/login/")
    pos.locator(".tile", has_text="Cleo Cashier").click()  # the focus stays on her tile

    pos.keyboard.type(PIN[:3] + "9")
    expect(pos.locator("#pin")).to_have_value(PIN[:3] + "9")
    pos.keyboard.press("Backspace")
    pos.keyboard.type(PIN[3])
    expect(pos.locator("#pin")).to_have_value(PIN)
    pos.keyboard.press("Enter")

    expect(pos).to_have_url(f"{asgi_server.url}/pos/")


def test_escape_closes_a_dialog_and_enter_in_a_field_presses_its_primary_action(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    pos.get_by_role("tab", name="Coffee").click()
    tile(pos, "Latte").click()
    expect(pos.locator("[data-mod-dialog]")).to_be_visible()
    pos.keyboard.press("Escape")
    expect(pos.locator("[data-mod-dialog]")).to_be_hidden()
    expect(pos.locator(".line")).to_have_count(0)  # closed as Cancel does

    add_item(pos, "Food", "Toast")
    pos.locator(".line-main").click()
    line_dialog = pos.locator("[data-line-dialog]")
    line_dialog.get_by_label("Note for the kitchen").fill("no butter")
    line_dialog.get_by_label("Note for the kitchen").press("Enter")  # Done

    expect(line_dialog).to_be_hidden()
    expect(pos.locator(".line-note")).to_have_text("no butter")


def test_keyboard_focus_shows_a_solid_ring(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    pos.locator("[data-send]").focus()
    pos.keyboard.press("Shift+Tab")
    pos.keyboard.press("Tab")  # focus moved by the keyboard: :focus-visible

    ring = pos.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert ring == ["solid", "3px"]


def test_no_transition_runs_when_the_system_asks_for_reduced_motion(pos, asgi_server, pos_cafe):
    pos.emulate_media(reduced_motion="reduce")
    pos.context.add_cookies([{"name": settings.TERMINAL_COOKIE_NAME, "value": pos_cafe.secret, "url": asgi_server.url}])
    pos.goto(f"{asgi_server.url}/terminal/login/")

    duration = pos.evaluate("() => getComputedStyle(document.querySelector('.tile')).transitionDuration")
    assert all(float(part.rstrip("s")) < 0.001 for part in duration.split(","))
