"""Areas and tables: the services' rules, the scoped admin with history, the demo floor."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role
from accounts.tests.factories import LocationFactory, UserFactory, staff
from cafepos.exceptions import ApplicationError
from tables import demo, services
from tables.models import Area, Table
from tables.tests.factories import AreaFactory, TableFactory

pytestmark = pytest.mark.django_db

AREAS = "/admin/tables/area/"
TABLES = "/admin/tables/table/"


@pytest.fixture
def location(db):
    return LocationFactory(name="Central")


@pytest.fixture
def terrace(location):
    return AreaFactory(location=location, name="Terrace")


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def test_label_is_unique_per_location_only(location, terrace):
    services.table_create(area=terrace, label="T1")
    elsewhere = AreaFactory(location=LocationFactory())

    error = refusal(lambda: services.table_create(area=terrace, label="T1", grid_x=5))

    assert error.code == "table.invalid"
    assert error.fields == {"label": ["Table T1 already exists at this location."]}
    assert services.table_create(area=elsewhere, label="T1").location == elsewhere.location


def test_a_table_needs_seats_and_a_place_on_the_grid(terrace):
    error = refusal(lambda: services.table_create(area=terrace, label="T1", seats=0, grid_x=100))

    assert error.fields == {
        "seats": ["A table has from 1 to 100 seats."],
        "grid_x": ["Place the table on the grid: 0 to 99."],
    }


def test_two_active_tables_cannot_share_a_grid_cell(terrace):
    services.table_create(area=terrace, label="T1", grid_x=2, grid_y=3)

    error = refusal(lambda: services.table_create(area=terrace, label="T2", grid_x=2, grid_y=3))
    stored = services.table_create(area=terrace, label="T2", grid_x=2, grid_y=3, is_active=False)

    assert error.fields == {"grid_x": ["Table T1 is already at this place in Terrace."]}
    assert not stored.is_active


def test_a_table_cannot_move_to_an_area_of_another_location(location, terrace):
    table = TableFactory(area=terrace)
    foreign = AreaFactory(location=LocationFactory())

    error = refusal(lambda: services.table_update(table=table, data={"area": foreign}))

    assert error.fields == {"area": ["This area belongs to another location."]}


def test_area_names_are_unique_per_location_and_an_area_with_tables_is_kept(location, terrace):
    TableFactory(area=terrace)

    duplicate = refusal(lambda: services.area_create(location=location, name="Terrace"))
    in_use = refusal(lambda: services.area_delete(area=terrace))

    assert duplicate.fields == {"name": ["An area named 'Terrace' exists at this location."]}
    assert (in_use.code, in_use.status) == ("area.not_empty", 409)


def test_changes_are_recorded_with_their_author(terrace):
    manager = UserFactory()
    table = services.table_create(area=terrace, label="T1", seats=2, by=manager)

    services.table_update(table=table, data={"seats": 4}, by=manager)

    record = table.history.first()
    delta = record.diff_against(record.prev_record)
    assert record.history_user == manager
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("seats", 2, 4)]


def test_demo_floor_has_twelve_tables_in_two_areas_and_seeding_twice_changes_nothing(location):
    assert demo.seed(location) == demo.seed(location) == {"areas": 2, "tables": 12}
    assert set(Area.objects.filter(location=location).values_list("name", flat=True)) == {"Main room", "Terrace"}


# Admin ------------------------------------------------------------------------------------------------


def table_rows(*rows, initial=0) -> dict:
    data = {"tables-TOTAL_FORMS": str(len(rows)), "tables-INITIAL_FORMS": str(initial)}
    data |= {"tables-MIN_NUM_FORMS": "0", "tables-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data |= {f"tables-{index}-{key}": value for key, value in row.items()}
    return data


def test_manager_sees_only_their_location_s_floor_and_owner_sees_both(client, location, terrace):
    harbour = LocationFactory(name="Harbour", organization=location.organization)
    harbour_table = TableFactory(location=harbour, label="H1")
    own_table = TableFactory(area=terrace, label="T1")
    manager, owner = staff(location, Role.MANAGER), staff(location, Role.OWNER)

    client.force_login(manager)
    manager_list = list(client.get(TABLES).context["cl"].result_list)
    foreign = client.get(f"{TABLES}{harbour_table.pk}/change/")
    client.force_login(owner)
    owner_list = set(client.get(TABLES).context["cl"].result_list)

    assert manager_list == [own_table]
    assert foreign.status_code == 302
    assert owner_list == {own_table, harbour_table}


def test_area_is_added_with_its_tables_through_the_services(client, location):
    manager = staff(location, Role.MANAGER)
    client.force_login(manager)
    rows = [
        {"label": "1", "seats": "2", "grid_x": "0", "grid_y": "0", "is_active": "on"},
        {"label": "2", "seats": "4", "grid_x": "1", "grid_y": "0", "is_active": "on"},
    ]

    response = client.post(
        f"{AREAS}add/", {"location": location.pk, "name": "Main room", "sort_order": 0} | table_rows(*rows)
    )

    assert response.status_code == 302
    area = Area.objects.get(name="Main room")
    assert sorted(area.tables.values_list("label", "location_id")) == [("1", location.id), ("2", location.id)]
    assert Table.objects.get(label="2").history.get().history_user == manager


def test_table_area_choices_and_filter_name_the_location(client, location, terrace):
    harbour = LocationFactory(name="Harbour", organization=location.organization)
    for area in (terrace, AreaFactory(location=harbour, name="Terrace")):
        TableFactory(area=area)
    client.force_login(staff(location, Role.OWNER))

    choices = client.get(f"{TABLES}add/").context["adminform"].form.fields["area"].choices
    changelist = client.get(TABLES).content.decode()

    assert {label for _, label in choices} == {"---------", "Terrace — Central", "Terrace — Harbour"}
    assert "Terrace — Central" in changelist and "Terrace — Harbour" in changelist


def test_table_form_shows_the_service_message(client, location, terrace):
    TableFactory(area=terrace, label="T1")
    client.force_login(staff(location, Role.MANAGER))

    page = client.post(f"{TABLES}add/", {"area": terrace.pk, "label": "T1", "seats": 0, "grid_x": 9, "grid_y": 9})

    assert page.context["adminform"].form.errors == {
        "label": ["Table T1 already exists at this location."],
        "seats": ["A table has from 1 to 100 seats."],
    }


def test_every_tables_page_renders_for_an_owner(client, location, terrace):
    table = TableFactory(area=terrace)
    client.force_login(staff(location, Role.OWNER))
    pages = [AREAS, f"{AREAS}add/", f"{AREAS}{terrace.pk}/change/", f"{AREAS}{terrace.pk}/history/", TABLES]
    pages += [f"{TABLES}add/", f"{TABLES}{table.pk}/change/", f"{TABLES}{table.pk}/history/"]

    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)


@pytest.mark.parametrize(("field", "value"), [("seats", 0), ("seats", 101), ("grid_x", 100), ("grid_y", 100)])
def test_the_database_refuses_a_table_out_of_range_even_past_the_services(field, value):
    table = TableFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Table.objects.filter(pk=table.pk).update(**{field: value})
