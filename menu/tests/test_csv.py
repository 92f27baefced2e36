"""Menu CSV: export then import changes nothing; a bad file is refused whole, with line numbers."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cafepos.exceptions import ApplicationError
from menu.csv_io import COLUMNS, menu_export_csv, menu_import_csv
from menu.models import Category, MenuItem, Station
from menu.tests.factories import CategoryFactory, MenuItemFactory, ModifierGroupFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


@pytest.fixture
def menu(location, milk):
    size = ModifierGroupFactory(location=location, name="Size", sort_order=0)
    coffee = CategoryFactory(location=location, name="Coffee", sort_order=0)
    bakery = CategoryFactory(location=location, name="Bakery", sort_order=1)
    MenuItemFactory(
        category=coffee,
        name="Latte",
        sku="LAT",
        price=Decimal("3.80"),
        station=Station.BAR,
        modifier_groups=[milk, size],
        description='Double shot, "silky" milk,\nlatte art',
    )
    MenuItemFactory(
        category=bakery, name="Croissant", sku="CRO", price=Decimal("1.90"), tax_rate=Decimal("5.50"), station="NONE"
    )
    MenuItemFactory(category=bakery, name="Old scone", sku="SCO", is_active=False, is_sold_out=True)
    return location


def snapshot(location):
    items = MenuItem.objects.filter(location=location).order_by("sku")
    return [
        (i.sku, i.name, i.category.name, i.description, i.price, i.tax_rate, i.station, i.sort_order, i.is_active,
         i.is_sold_out, sorted(g.name for g in i.modifier_groups.all()))
        for i in items
    ]  # fmt: skip


def history_rows(location) -> int:
    return MenuItem.history.filter(location_id=location.id).count()


def test_export_lists_items_with_category_price_flags_and_groups(menu):
    lines = menu_export_csv(location=menu).splitlines()

    assert lines[0] == HEADER
    assert "CRO,Croissant,Bakery,,1.90,5.50,NONE,0,yes,no," in lines


def test_export_then_import_changes_nothing(menu):
    before, history_before = snapshot(menu), history_rows(menu)

    result = menu_import_csv(location=menu, content=menu_export_csv(location=menu).encode())

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot(menu) == before
    assert history_rows(menu) == history_before
    assert menu_export_csv(location=menu) == menu_export_csv(location=menu)


def test_import_creates_updates_and_creates_missing_categories(menu):
    text = menu_export_csv(location=menu).replace("CRO,Croissant,Bakery,,1.90", "CRO,Croissant,Bakery,,2.00")
    text += "MUF,Blueberry muffin,Muffins,,2.80,5.50,none,3,yes,no,\n"

    result = menu_import_csv(location=menu, content=text)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert MenuItem.objects.get(sku="CRO").price == Decimal("2.000")
    muffin = MenuItem.objects.get(sku="MUF")
    assert (muffin.category.name, muffin.station, muffin.location) == ("Muffins", "NONE", menu)


def test_bad_row_is_reported_by_line_and_nothing_is_applied(menu):
    before = snapshot(menu)
    text = "\n".join(
        [
            HEADER,
            "MUF,Blueberry muffin,Muffins,,2.80,5.50,NONE,3,yes,no,",  # line 2: fine (new category, new item)
            'LAT,Latte,Coffee,"two\nlines",4.00,10.00,BAR,0,yes,no,Milk',  # lines 3-4: fine
            "CRO,Croissant,Bakery,,-1.90,5.50,NONE,0,yes,no,",  # line 5: negative price
            "TEA,Tea,Tea,,abc,10.00,BAR,0,maybe,no,Syrup",  # line 6: several mistakes, the first one is named
            "MUF,Muffin again,Muffins,,2.80,5.50,NONE,3,yes,no,",  # line 7: SKU of line 2
        ]
    )

    with pytest.raises(ApplicationError) as caught:
        menu_import_csv(location=menu, content=text)

    error = caught.value
    assert error.code == "menu.import_invalid"
    assert error.message == "Nothing was imported. Line 5: price: A price cannot be negative. (and 2 more)"
    assert error.fields["file"] == [
        "Line 5: price: A price cannot be negative.",
        "Line 6: modifier_groups: no modifier group named 'Syrup'.",
        "Line 7: sku: MUF also appears on line 2.",
    ]
    assert snapshot(menu) == before
    assert not Category.objects.filter(name="Muffins").exists()


def test_file_without_the_expected_header_is_refused(menu):
    with pytest.raises(ApplicationError, match="Line 1: the header lacks category, description, price"):
        menu_import_csv(location=menu, content="sku,name\nLAT,Latte\n")


def test_admin_export_then_import_round_trips_for_the_manager_s_location(client, manager, menu, other_location):
    client.force_login(manager)
    before = snapshot(menu)

    exported = client.post("/admin/menu/menuitem/csv/", {"location": menu.pk, "_export": "1"})
    upload = SimpleUploadedFile("menu.csv", exported.content, content_type="text/csv")
    imported = client.post("/admin/menu/menuitem/csv/", {"location": menu.pk, "file": upload, "_import": "1"})
    foreign = client.post("/admin/menu/menuitem/csv/", {"location": other_location.pk, "_export": "1"})

    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert imported.status_code == 302
    assert snapshot(menu) == before
    assert foreign.status_code == 200  # the form again: not one of the manager's locations
    assert "location" in foreign.context["form"].errors


def test_admin_import_of_a_bad_file_shows_the_lines(client, manager, menu):
    client.force_login(manager)
    bad = f"{HEADER}\nCRO,Croissant,Bakery,,1.905,5.50,NONE,0,yes,no,\n".encode()
    upload = SimpleUploadedFile("menu.csv", bad, content_type="text/csv")

    page = client.post("/admin/menu/menuitem/csv/", {"location": menu.pk, "file": upload, "_import": "1"})

    assert page.context["form"].errors["file"] == ["Line 2: price: Use at most 2 decimal places for EUR."]
    assert MenuItem.objects.get(sku="CRO").price == Decimal("1.900")


@pytest.mark.parametrize("sort_order", ["9" * 5000, "-1", str(2**31), "1e3"])
def test_an_out_of_range_sort_order_is_a_line_error_not_a_crash(menu, sort_order):
    text = "\n".join([HEADER, f"MUF,Blueberry muffin,Coffee,,2.80,5.50,NONE,{sort_order},yes,no,"])

    with pytest.raises(ApplicationError) as caught:
        menu_import_csv(location=menu, content=text)

    assert caught.value.fields["file"][0].startswith("Line 2: sort_order:")
    assert not MenuItem.objects.filter(sku="MUF").exists()


def test_rows_without_a_sku_are_new_items_with_generated_skus(menu):
    text = menu_export_csv(location=menu)
    text += ",Muffin,Bakery,,2.80,5.50,none,3,yes,no,\n,Scone,Bakery,,2.10,5.50,none,4,yes,no,\n"

    result = menu_import_csv(location=menu, content=text)

    assert (result.created, result.unchanged) == (2, 3)
    skus = dict(MenuItem.objects.filter(name__in=["Muffin", "Scone"]).values_list("name", "sku"))
    assert skus == {"Muffin": "ITEM-0004", "Scone": "ITEM-0005"}
    assert menu_import_csv(location=menu, content=menu_export_csv(location=menu)).unchanged == 5
