"""The demo cafe's menu (demo data only, never in migrations): six categories, 41 items, four modifier groups, with
their German names."""

from decimal import Decimal as D

from accounts.models import Location

from .models import Category, MenuItem, ModifierGroup, Station
from .services import category_create, menu_item_create, modifier_group_create

# name: (min, max, [(modifier, price delta)])
MODIFIER_GROUPS = {
    "Size": (1, 1, [("Small", D("-0.40")), ("Regular", D("0.00")), ("Large", D("0.60"))]),
    "Milk": (
        0,
        1,
        [
            ("Whole milk", D("0.00")),
            ("Skimmed milk", D("0.00")),
            ("Oat milk", D("0.40")),
            ("Almond milk", D("0.40")),
            ("Soy milk", D("0.30")),
        ],
    ),
    "Extra shots": (0, 2, [("Extra espresso shot", D("0.70")), ("Extra decaf shot", D("0.70"))]),
    "Syrup": (0, 2, [("Vanilla syrup", D("0.50")), ("Caramel syrup", D("0.50")), ("Hazelnut syrup", D("0.50"))]),
}
MILK_DRINK = ("Size", "Milk", "Extra shots", "Syrup")
# category: (station, tax rate %, SKU prefix, [(item, price, modifier groups)])
CATEGORIES = {
    "Coffee": (
        Station.BAR,
        D("10.00"),
        "COF",
        [
            ("Espresso", D("2.20"), ("Extra shots",)),
            ("Double espresso", D("3.00"), ()),
            ("Macchiato", D("2.60"), ("Milk", "Extra shots")),
            ("Cortado", D("3.20"), ("Milk", "Extra shots")),
            ("Americano", D("2.80"), ("Size", "Extra shots")),
            ("Cappuccino", D("3.50"), MILK_DRINK),
            ("Flat white", D("3.80"), ("Milk", "Extra shots")),
            ("Caffè latte", D("3.80"), MILK_DRINK),
            ("Mocha", D("4.20"), MILK_DRINK),
        ],
    ),
    "Tea": (
        Station.BAR,
        D("10.00"),
        "TEA",
        [
            ("English breakfast tea", D("2.80"), ("Milk",)),
            ("Earl Grey", D("2.80"), ("Milk",)),
            ("Green tea", D("2.80"), ()),
            ("Peppermint tea", D("2.80"), ()),
            ("Chai latte", D("3.90"), ("Size", "Milk", "Syrup")),
            ("Matcha latte", D("4.20"), ("Size", "Milk", "Syrup")),
        ],
    ),
    "Pastries": (
        Station.NONE,
        D("5.50"),
        "PAS",
        [
            ("Butter croissant", D("1.90"), ()),
            ("Pain au chocolat", D("2.10"), ()),
            ("Almond croissant", D("2.90"), ()),
            ("Cinnamon roll", D("3.20"), ()),
            ("Blueberry muffin", D("2.80"), ()),
            ("Banana bread", D("3.00"), ()),
            ("Chocolate brownie", D("2.90"), ()),
        ],
    ),
    "Breakfast": (
        Station.KITCHEN,
        D("10.00"),
        "BRK",
        [
            ("Avocado toast", D("8.50"), ()),
            ("Eggs Benedict", D("9.50"), ()),
            ("Granola bowl", D("6.50"), ()),
            ("Pancakes with maple syrup", D("7.50"), ()),
            ("Porridge with berries", D("5.50"), ()),
            ("Full breakfast", D("12.50"), ()),
        ],
    ),
    "Lunch": (
        Station.KITCHEN,
        D("10.00"),
        "LUN",
        [
            ("Soup of the day", D("6.90"), ()),
            ("Croque monsieur", D("8.90"), ()),
            ("Quiche Lorraine", D("8.50"), ()),
            ("Falafel wrap", D("9.20"), ()),
            ("Club sandwich", D("10.50"), ()),
            ("Chicken Caesar salad", D("11.50"), ()),
        ],
    ),
    "Cold drinks": (
        Station.BAR,
        D("10.00"),
        "CLD",
        [
            ("Iced latte", D("4.20"), MILK_DRINK),
            ("Cold brew", D("4.00"), ("Milk", "Syrup")),
            ("Iced tea", D("3.50"), ()),
            ("Homemade lemonade", D("3.90"), ()),
            ("Fresh orange juice", D("4.50"), ()),
            ("Berry smoothie", D("5.50"), ()),
            ("Sparkling water", D("2.50"), ()),
        ],
    ),
}


# The German names of the menu above (the demo's Harbour speaks German; a German cashier reads them anywhere).
GERMAN = {
    # modifier groups and modifiers
    "Size": "Größe",
    "Small": "Klein",
    "Regular": "Normal",
    "Large": "Groß",
    "Milk": "Milch",
    "Whole milk": "Vollmilch",
    "Skimmed milk": "Magermilch",
    "Oat milk": "Hafermilch",
    "Almond milk": "Mandelmilch",
    "Soy milk": "Sojamilch",
    "Extra shots": "Extra Shots",
    "Extra espresso shot": "Extra Espresso-Shot",
    "Extra decaf shot": "Extra entkoffeinierter Shot",
    "Syrup": "Sirup",
    "Vanilla syrup": "Vanillesirup",
    "Caramel syrup": "Karamellsirup",
    "Hazelnut syrup": "Haselnusssirup",
    # categories
    "Coffee": "Kaffee",
    "Tea": "Tee",
    "Pastries": "Gebäck",
    "Breakfast": "Frühstück",
    "Lunch": "Mittagessen",
    "Cold drinks": "Kalte Getränke",
    # items
    "Espresso": "Espresso",
    "Double espresso": "Doppelter Espresso",
    "Macchiato": "Macchiato",
    "Cortado": "Cortado",
    "Americano": "Americano",
    "Cappuccino": "Cappuccino",
    "Flat white": "Flat White",
    "Caffè latte": "Milchkaffee",
    "Mocha": "Mokka",
    "English breakfast tea": "English-Breakfast-Tee",
    "Earl Grey": "Earl Grey",
    "Green tea": "Grüner Tee",
    "Peppermint tea": "Pfefferminztee",
    "Chai latte": "Chai Latte",
    "Matcha latte": "Matcha Latte",
    "Butter croissant": "Buttercroissant",
    "Pain au chocolat": "Schokocroissant",
    "Almond croissant": "Mandelcroissant",
    "Cinnamon roll": "Zimtschnecke",
    "Blueberry muffin": "Blaubeermuffin",
    "Banana bread": "Bananenbrot",
    "Chocolate brownie": "Schokoladenbrownie",
    "Avocado toast": "Avocado-Toast",
    "Eggs Benedict": "Eier Benedict",
    "Granola bowl": "Granola-Bowl",
    "Pancakes with maple syrup": "Pfannkuchen mit Ahornsirup",
    "Porridge with berries": "Porridge mit Beeren",
    "Full breakfast": "Großes Frühstück",
    "Soup of the day": "Tagessuppe",
    "Croque monsieur": "Croque Monsieur",
    "Quiche Lorraine": "Quiche Lorraine",
    "Falafel wrap": "Falafel-Wrap",
    "Club sandwich": "Club-Sandwich",
    "Chicken Caesar salad": "Caesar Salad mit Hähnchen",
    "Iced latte": "Eiskaffee Latte",
    "Cold brew": "Cold Brew",
    "Iced tea": "Eistee",
    "Homemade lemonade": "Hausgemachte Limonade",
    "Fresh orange juice": "Frischer Orangensaft",
    "Berry smoothie": "Beeren-Smoothie",
    "Sparkling water": "Mineralwasser mit Kohlensäure",
}


def _german(name: str) -> dict:
    return {"de": {"name": GERMAN[name]}}


def seed(location: Location) -> dict:
    """Create what is missing of the demo menu at `location` (by name and SKU); edits made since are kept."""
    groups = {}
    for order, (name, (low, high, modifiers)) in enumerate(MODIFIER_GROUPS.items()):
        groups[name] = ModifierGroup.objects.filter(location=location, name=name).first() or modifier_group_create(
            location=location,
            name=name,
            min_selections=low,
            max_selections=high,
            is_required=low > 0,
            sort_order=order,
            translations=_german(name),
            modifiers=[
                {"name": modifier, "price_delta": delta, "sort_order": position, "translations": _german(modifier)}
                for position, (modifier, delta) in enumerate(modifiers)
            ],
        )
    for order, (name, (station, tax_rate, prefix, items)) in enumerate(CATEGORIES.items()):
        category = Category.objects.filter(location=location, name=name).first() or category_create(
            location=location, name=name, sort_order=order, translations=_german(name)
        )
        for position, (item, price, item_groups) in enumerate(items, start=1):
            sku = f"{prefix}-{position:02d}"
            if not MenuItem.objects.filter(location=location, sku=sku).exists():
                menu_item_create(
                    location=location,
                    category=category,
                    name=item,
                    price=price,
                    sku=sku,
                    tax_rate=tax_rate,
                    station=station,
                    sort_order=position,
                    modifier_groups=[groups[group] for group in item_groups],
                    translations=_german(item),
                )
    return {
        "categories": Category.objects.filter(location=location).count(),
        "items": MenuItem.objects.filter(location=location).count(),
        "modifier groups": ModifierGroup.objects.filter(location=location).count(),
    }
