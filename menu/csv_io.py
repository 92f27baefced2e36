"""Menu items of one location as CSV, out and back in.

Hand-written rather than django-import-export: the file has one row per item and refers to categories and
modifier groups by name, every row must pass the same services as any other write, and a file is applied
whole or not at all; that is a page of code, not a framework to bend.

Rows are matched to items by SKU: a new SKU creates an item (an empty one, an item with
a generated SKU), a known one updates it when a value differs,
items missing from the file are left alone. Translations are optional columns, `name_<language>` and
`description_<language>` for a language of settings.LANGUAGES (the export has those of the languages the
location's items are translated to): a file without one leaves those translations as they are, an empty cell
removes one. A category named in the file is created if missing; modifier
groups (with their modifiers) are managed in admin and must exist. Exporting then importing changes nothing.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Location, User
from cafepos import csvsafe
from cafepos.api.params import parse_int
from cafepos.exceptions import ApplicationError
from cafepos.money import quantize_money

from .models import Category, MenuItem, ModifierGroup
from .services import category_create, menu_item_create, menu_item_update
from .translations import translations_clean

COLUMNS = [
    "sku",
    "name",
    "category",
    "description",
    "price",
    "tax_rate",
    "station",
    "sort_order",
    "is_active",
    "is_sold_out",
    "modifier_groups",
]
TRANSLATION_COLUMNS = {
    f"{field}_{language}": (language, field)
    for language, _ in settings.LANGUAGES
    for field in MenuItem.translatable_fields
}
GROUP_SEPARATOR = "|"
TRUE, FALSE = {"yes", "true", "1"}, {"no", "false", "0"}
MAX_ERRORS = 20


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def menu_export_csv(*, location: Location) -> str:
    items = (
        MenuItem.objects.filter(location=location)
        .select_related("category")
        .prefetch_related("modifier_groups")
        .order_by("category__sort_order", "category__name", "sort_order", "name")
    )
    translated = {language for item in items for language in item.translations}
    translation_columns = {
        column: (language, field) for column, (language, field) in TRANSLATION_COLUMNS.items() if language in translated
    }
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow([*COLUMNS, *translation_columns])
    for item in items:
        groups = sorted(item.modifier_groups.all(), key=lambda group: (group.sort_order, group.name))
        writer.writerow(
            [
                item.sku,
                item.name,
                item.category.name,
                item.description,
                quantize_money(item.price, location.currency),
                item.tax_rate,
                item.station,
                item.sort_order,
                "yes" if item.is_active else "no",
                "yes" if item.is_sold_out else "no",
                GROUP_SEPARATOR.join(group.name for group in groups),
                *(
                    item.translations.get(language, {}).get(field, "")
                    for language, field in translation_columns.values()
                ),
            ]
        )
    return out.getvalue()


class _RowError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")


def _decimal(field: str, text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _RowError(field, _("%(text)r is not a number.") % {"text": text}) from None


def _integer(field: str, text: str) -> int:
    number = parse_int(text)  # bounded: never int() on thousands of digits
    if number is None:
        raise _RowError(field, _("%(text)r is not a whole number of 0 or more.") % {"text": text[:20]})
    return number


def _flag(field: str, text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise _RowError(field, _("%(text)r is not yes or no.") % {"text": text})


class _Importer:
    def __init__(self, location: Location, by: User | None):
        self.location, self.by = location, by
        self.categories = {category.name: category for category in Category.objects.filter(location=location)}
        self.groups = {group.name: group for group in ModifierGroup.objects.filter(location=location)}
        items = MenuItem.objects.filter(location=location).prefetch_related("modifier_groups")
        self.items = {item.sku: item for item in items}
        self.seen: dict[str, int] = {}
        self.result = ImportResult()

    def values(self, row: dict, item: MenuItem | None) -> dict:
        names = [name.strip() for name in row["modifier_groups"].split(GROUP_SEPARATOR) if name.strip()]
        unknown = [name for name in names if name not in self.groups]
        if unknown:
            raise _RowError(
                "modifier_groups", _("no modifier group named %(names)s.") % {"names": ", ".join(map(repr, unknown))}
            )
        return {
            "translations": _translations(row, item),
            "name": row["name"].strip(),
            "category": self.category(row["category"].strip()),
            "description": row["description"],
            "price": _decimal("price", row["price"].strip()),
            "tax_rate": _decimal("tax_rate", row["tax_rate"].strip()),
            "station": row["station"].strip().upper(),
            "sort_order": _integer("sort_order", row["sort_order"].strip() or "0"),
            "is_active": _flag("is_active", row["is_active"].strip()),
            "is_sold_out": _flag("is_sold_out", row["is_sold_out"].strip()),
            "modifier_groups": [self.groups[name] for name in names],
        }

    def category(self, name: str) -> Category:
        if not name:
            raise _RowError("category", _("every item needs a category."))
        if name not in self.categories:
            self.categories[name] = category_create(location=self.location, name=name, by=self.by)
        return self.categories[name]

    def apply(self, line: int, row: dict) -> None:
        sku = row["sku"].strip()  # none: a new item with a generated SKU
        if sku and sku in self.seen:
            raise _RowError("sku", _("%(sku)s also appears on line %(line)s.") % {"sku": sku, "line": self.seen[sku]})
        self.seen[sku] = line
        item = self.items.get(sku) if sku else None
        values = self.values(row, item)
        if item is None:
            menu_item_create(location=self.location, sku=sku, by=self.by, **values)
            self.result.created += 1
        elif _differs(item, values):
            menu_item_update(item=item, data=values, by=self.by)
            self.result.updated += 1
        else:
            self.result.unchanged += 1


def _translations(row: dict, item: MenuItem | None) -> dict:
    """The item's translations with the file's translation columns applied (those absent left as stored)."""
    translations = {language: dict(values) for language, values in (item.translations if item else {}).items()}
    for column, (language, field) in TRANSLATION_COLUMNS.items():
        if column in row:
            translations.setdefault(language, {})[field] = row[column]
    cleaned, problems = translations_clean(MenuItem, translations)
    if problems:
        raise _RowError("translations", problems[0])
    return cleaned


def _differs(item: MenuItem, values: dict) -> bool:
    groups = {group.pk for group in values["modifier_groups"]}
    if groups != {group.pk for group in item.modifier_groups.all()}:
        return True
    return any(getattr(item, name) != value for name, value in values.items() if name != "modifier_groups")


def _text(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("menu.import_invalid", _("The file is not UTF-8 text; save it as CSV UTF-8.")) from None


def menu_import_csv(*, location: Location, content: bytes | str, by: User | None = None) -> ImportResult:
    """Apply a menu CSV to a location, all rows or none; errors name their line (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(_text(content), newline=""))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        message = _("Line 1: the header lacks %(missing)s; expected: %(columns)s.") % {
            "missing": ", ".join(missing),
            "columns": ",".join(COLUMNS),
        }
        raise ApplicationError("menu.import_invalid", message, {"file": [message]})
    columns = COLUMNS + [column for column in TRANSLATION_COLUMNS if column in reader.fieldnames]
    errors = []
    with transaction.atomic():
        importer = _Importer(location, by)
        line = 2
        for row in reader:
            try:
                if None in row or any(row[column] is None for column in columns):
                    raise _RowError("row", _("expected %(count)s columns.") % {"count": len(reader.fieldnames)})
                importer.apply(line, {column: csvsafe.unescape(row[column]) for column in columns})
            except _RowError as error:
                errors.append(f"Line {line}: {error}")
            except ApplicationError as error:
                errors += [f"Line {line}: {field}: {text}" for field, texts in error.fields.items() for text in texts]
            line = reader.line_num + 1
            if len(errors) >= MAX_ERRORS:
                break
        if errors:
            message = f"{errors[0]}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
            raise ApplicationError(
                "menu.import_invalid", _("Nothing was imported. %(message)s") % {"message": message}, {"file": errors}
            )
    return importer.result
