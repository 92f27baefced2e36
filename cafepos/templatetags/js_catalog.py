"""`{% js_catalog %}`: the page's JavaScript translations in a `json_script` block (id "js-catalog"), read by
cafepos/static/cafepos/i18n.js, which must come before the page's own scripts."""

from django import template
from django.utils.html import json_script

from cafepos.js_catalog import js_catalog as active_catalog

register = template.Library()


@register.simple_tag
def js_catalog():
    return json_script(active_catalog(), "js-catalog")
