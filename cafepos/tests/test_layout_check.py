"""testing/layout.py on pages written to break it: it finds sideways scroll and text drawn over text, names them,
and leaves alone what a reader cannot see (a screen-reader-only label, a page behind a modal dialog)."""

import pytest

from testing.layout import assert_layout_fits, layout_problems

VIEWPORT = {"width": 1024, "height": 768}
SR_ONLY = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"


@pytest.fixture
def page(browser_page):
    browser_page.set_viewport_size(VIEWPORT)
    return browser_page


def test_a_wide_element_is_named_as_the_cause_of_sideways_scroll(page):
    page.set_content('<main><p>Fits</p><table id="wide" style="width:1300px"><tr><td>Total</td></tr></table></main>')

    problems = layout_problems(page)

    assert problems["scrollWidth"] > problems["innerWidth"]
    assert [o["element"] for o in problems["overflow"]] == ["table#wide"]
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_layout_fits(page)


def test_a_wide_table_in_a_scrolling_box_does_not_scroll_the_page(page):
    page.set_content('<div style="overflow-x:auto"><table style="width:1300px"><tr><td>Total</td></tr></table></div>')

    assert_layout_fits(page)


def test_a_badge_over_a_name_is_reported_with_both_texts(page):
    page.set_content(
        '<div style="position:relative;width:120px"><span class="name">Cappuccino grande</span>'
        '<span class="badge" style="position:absolute;left:40px;top:0">Options</span></div>'
    )

    problems = layout_problems(page)

    assert [(o["first"], o["second"]) for o in problems["overlaps"]] == [
        ("span.name: Cappuccino grande", "span.badge: Options")
    ]


def test_text_wrapping_beside_other_text_and_a_screen_reader_label_are_not_overlaps(page):
    page.set_content(
        '<p style="width:200px">A long label that wraps <b>bold words</b> and goes on <a href="#">a link</a></p>'
        f'<h1>Title<span style="{SR_ONLY}">hidden words under the title</span></h1>'
        '<p style="visibility:hidden;margin-top:-40px">Invisible text over the title</p>'
    )

    assert_layout_fits(page)


def test_behind_an_open_modal_dialog_only_the_dialog_is_checked(page):
    page.set_content(
        '<div style="position:relative"><span>Behind</span><span style="position:absolute;left:0">Behind too</span>'
        "</div><dialog><p>Pay</p></dialog>"
    )
    assert layout_problems(page)["overlaps"]

    page.evaluate("document.querySelector('dialog').showModal()")

    assert_layout_fits(page)
    page.evaluate(
        "document.querySelector('dialog').insertAdjacentHTML('beforeend', "
        "'<span style=\"position:relative;top:-1.2em\">Charge</span>')"
    )
    assert [o["second"] for o in layout_problems(page)["overlaps"]] == ["span: Charge"]
