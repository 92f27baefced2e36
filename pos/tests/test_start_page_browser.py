"""The start page (`/`) and the API's ReDoc page in Chromium: the start page passes axe on a phone and a desktop
without scrolling sideways; ReDoc loads everything from this site (its search worker included) and the
Content-Security-Policy blocks nothing (the `pos` page fails its test on any violation)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from testing.axe import assert_accessible

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_start_page_passes_axe_without_sideways_scrolling_and_leads_to_sign_in(pos, asgi_server, width):
    pos.set_viewport_size({"width": width, "height": 800})
    pos.goto(f"{asgi_server.url}/")

    assert_accessible(pos, where=f"the start page at {width} px")
    assert pos.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    icon = pos.locator('link[rel="icon"]').get_attribute("href")
    assert pos.request.get(f"{asgi_server.url}{icon}").ok
    pos.get_by_role("link", name="Sign in to the back office").click()
    expect(pos).to_have_url(f"{asgi_server.url}/admin/login/?next=/admin/")


def test_redoc_loads_only_from_this_site_and_the_policy_blocks_nothing(pos, asgi_server):
    requested = []
    pos.on("request", lambda request: requested.append(request.url))

    pos.goto(f"{asgi_server.url}/api/v1/redoc/")
    expect(pos.get_by_role("heading", name="CafePOS API", level=1)).to_be_visible()
    expect(pos.get_by_role("textbox", name="Search")).to_be_visible()  # the search runs in its worker
    pos.wait_for_load_state("networkidle")

    origin = urlsplit(asgi_server.url).netloc
    foreign = [url for url in requested if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != origin]
    assert foreign == []
    assert any(url.startswith("blob:") for url in requested)  # the worker started
