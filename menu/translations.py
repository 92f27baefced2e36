"""Menu content per language: a `translations` JSON column on categories, items, modifier groups and modifiers
(`{"de": {"name": "Milchkaffee", "description": "…"}}`), read through one accessor, `obj.translated(field,
language)`, that falls back to the stored value. The stored `name`/`description` stay what they are: the default.

The column comes with its row, so reading it costs no query. `translations_clean` is the one rule for what may be
stored: only languages of settings.LANGUAGES, only the model's translatable fields, visible text no longer than
the stored field allows; empty values are dropped (no translation: the stored value is shown).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cafepos.text import visible_text

DESCRIPTION_MAX_LENGTH = 2000  # the stored description has no column limit; a translated one has this one


def translations_field() -> models.JSONField:
    return models.JSONField(
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),  # rows an older release inserts during a deploy
        blank=True,
        help_text=gettext_lazy(
            'Per language, e.g. {"de": {"name": "Milchkaffee"}}; what is missing shows the stored value.'
        ),
        verbose_name=gettext_lazy("translations"),
    )


class Translatable:
    """A model whose `translatable_fields` may be given per language in its `translations = translations_field()`."""

    translatable_fields: tuple[str, ...] = ("name",)

    def translated(self, field: str, language: str | None) -> str:
        """`field` in `language` when a translation is stored, else the stored value."""
        return translated_value(self.translations, field, language) or getattr(self, field)


def translated_value(translations, field: str, language: str | None) -> str:
    """The translation of `field` in `language` from a `translations` value as stored (or as the cached menu
    keeps it), or "" when there is none."""
    entry = translations.get(language) if isinstance(translations, dict) else None
    value = entry.get(field) if isinstance(entry, dict) else None
    return value if isinstance(value, str) else ""


def max_length(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length or DESCRIPTION_MAX_LENGTH


def translations_clean(model: type[Translatable], translations) -> tuple[dict, list[str]]:
    """`translations` as it will be stored (visible text, empty values dropped), and what is wrong with it."""
    if translations in (None, ""):
        return {}, []
    if not isinstance(translations, dict):
        return {}, [_('Give an object of languages, e.g. {"de": {"name": "…"}}.')]
    languages = dict(settings.LANGUAGES)
    cleaned, errors = {}, []
    for language, values in translations.items():
        if language not in languages:
            errors.append(
                _("Unknown language %(language)s: use one of %(languages)s.")
                % {"language": repr(str(language)[:16]), "languages": ", ".join(languages)}
            )
            continue
        if not isinstance(values, dict):
            errors.append(_('%(language)s: give an object of fields, e.g. {"name": "…"}.') % {"language": language})
            continue
        kept = {}
        for field, value in values.items():
            if field not in model.translatable_fields:
                errors.append(
                    _("%(language)s: %(field)s cannot be translated; use %(fields)s.")
                    % {
                        "language": language,
                        "field": repr(str(field)[:32]),
                        "fields": ", ".join(model.translatable_fields),
                    }
                )
            elif not isinstance(value, str):
                errors.append(_("%(language)s: %(field)s must be text.") % {"language": language, "field": field})
            elif len(text := visible_text(value, multiline=field == "description").strip()) > max_length(model, field):
                errors.append(
                    _("%(language)s: use at most %(count)s characters for the %(field)s.")
                    % {"language": language, "count": max_length(model, field), "field": field}
                )
            elif text:
                kept[field] = text
        if kept:
            cleaned[language] = kept
    return cleaned, errors
