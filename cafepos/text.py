"""Text a person typed, kept as others will read it: no invisible format or control characters.

Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), zero-width characters and marks
(U+200B–U+200F, U+2060–U+2064, U+FEFF) and every other Unicode format character (category Cf) can make a kitchen
ticket, a receipt or an admin list read differently from what was ordered. Control characters (Cc: NUL, which
PostgreSQL refuses, escape sequences) and lone surrogates (Cs, which no database encodes) have no place in it either.

They are removed in one place every write goes through: the model fields below, used for every column a person
types, whichever path the text comes by (API, POS pages, admin, CSV import, sockets, commands). The field's
attribute (Django's documented `Field.descriptor_class`) cleans a value as it is assigned, so an instance never
holds one (services validate, save and build their events from clean text, and rows stored before are shown
clean); `to_python` cleans it too, which covers model and admin form cleaning and `get_prep_value`, so also
`QuerySet.update()` and lookups. Single-line fields turn line breaks and tabs into spaces (a name cannot fake a
second ticket line); multi-line fields keep them, with every kind of line break as `\n`.
"""

import unicodedata

from django.db import models
from django.db.models.query_utils import DeferredAttribute

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def visible_text(value: str, *, multiline: bool = False) -> str:
    """`value` without format, control and surrogate characters; line breaks and tabs kept only if multiline."""
    if value.isprintable():  # the usual case, checked in C: no Cc, Cf, Cs, Zl, Zp (and no Zs but the space)
        return value
    kept = []
    for char in value.replace("\r\n", "\n"):
        if char in LINE_BREAKS:
            kept.append("\n" if multiline else " ")
        elif char == "\t":
            kept.append(char if multiline else " ")
        elif unicodedata.category(char) not in INVISIBLE_CATEGORIES:
            kept.append(char)
    return "".join(kept)


class VisibleTextAttribute(DeferredAttribute):
    """The model attribute of a visible-text field: what is assigned (by code, a form, or a row loaded) is cleaned."""

    def __set__(self, instance, value):
        if isinstance(value, str):
            value = visible_text(value, multiline=self.field.multiline)
        instance.__dict__[self.field.attname] = value


class VisibleTextMixin:
    """Cleans the field's text with `visible_text` on every way in (see the module docstring)."""

    multiline = False
    descriptor_class = VisibleTextAttribute

    def to_python(self, value):
        value = super().to_python(value)
        return visible_text(value, multiline=self.multiline) if isinstance(value, str) else value


class VisibleCharField(VisibleTextMixin, models.CharField):
    pass


class VisibleEmailField(VisibleTextMixin, models.EmailField):
    pass


class VisibleTextField(VisibleTextMixin, models.TextField):
    multiline = True
