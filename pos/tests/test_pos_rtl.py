"""Right-to-left: our pages say their language and direction on <html>, and the register mirrors in Arabic (the cart
panel left of the item grid, right of it in English) with nothing overlapping."""

import pytest
from django.test import Client
from django.utils import translation

from testing.cafes import make_cafe as make_kitchen_cafe

from .pos import make_cafe, pos_client
from .pos_browser import add_item, open_register

HTML_TAG = {"en": '<html lang="en" dir="ltr">', "ar": '<html lang="ar" dir="rtl">'}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_base_template_of_ours_says_its_language_and_direction(language):
    # The location speaks the language; the override stands in for the terminal pages' language selection until
    # it lands, and agrees with it after.
    cafe = make_cafe(language=language)
    client = pos_client(cafe.location, terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier)[0]
    kitchen = make_kitchen_cafe(language=language)
    kitchen_client = Client()
    kitchen_client.cookies.load(kitchen.cookies(kitchen.cook))
    pages = {
        "register (pos/base.html)": (client, "/pos/"),
        "kitchen display (terminal/base.html)": (kitchen_client, "/kitchen/"),
        "PIN sign-in (terminal/base.html)": (kitchen_client, "/terminal/login/"),
    }

    with translation.override(language):
        for name, (browser, path) in pages.items():
            assert HTML_TAG[language] in browser.get(path).content.decode(), name


def panels_and_bars(page) -> dict:
    """The register's boxes: its two panels, the top bar's items and the html's direction."""
    return page.evaluate(
        """() => {
          const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
          const shown = el => el.getClientRects().length > 0;
          const all = selector => [...document.querySelectorAll(selector)].filter(shown).map(box);
          return {
            dir: document.documentElement.dir,
            grid: box(document.querySelector(".items")),
            cart: box(document.querySelector(".cart-pane")),
            panels: all(".menu-pane, .cart-pane"),
            bar: all(".pos-topbar > .brand, .pos-nav a, .topbar-end > *"),
            overflow: document.documentElement.scrollWidth - innerWidth,
          };
        }"""
    )


def overlapping(boxes) -> list:
    return [
        (a, b)
        for n, a in enumerate(boxes)
        for b in boxes[n + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
    ]


def assert_laid_out(layout, *, rtl: bool):
    grid_left, _, grid_right, _ = layout["grid"]
    cart_left, _, cart_right, _ = layout["cart"]
    if rtl:
        assert cart_right <= grid_left, layout  # the cart panel sits left of the item grid
    else:
        assert cart_left >= grid_right, layout  # and right of it in a left-to-right language
    assert overlapping(layout["panels"]) == []
    assert overlapping(layout["bar"]) == []
    assert layout["overflow"] <= 0


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_register_mirrors_in_a_right_to_left_language(pos, asgi_server, language):
    cafe = make_cafe(language=language)
    open_register(pos, asgi_server, cafe)
    add_item(pos, "Food", "Toast")

    layout = panels_and_bars(pos)

    assert layout["dir"] == ("rtl" if language == "ar" else "ltr")
    assert_laid_out(layout, rtl=language == "ar")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [{"width": 1024, "height": 768}, {"width": 844, "height": 390}])
def test_the_registers_styles_mirror_under_dir_rtl(pos, asgi_server, pos_cafe, viewport):
    pos.set_viewport_size(viewport)
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    assert_laid_out(panels_and_bars(pos), rtl=False)

    pos.evaluate("() => { document.documentElement.dir = 'rtl'; }")  # what an Arabic page says

    assert_laid_out(panels_and_bars(pos), rtl=True)
