"""`manage.py seed_demo`: create what is missing of the demo cafe and print its logins. Wires every app's demo data.

It runs on every `make serve`: what exists (a password, a PIN, a price, a role) is never changed, so sessions,
paired terminals and tokens outlive a restart and the owner's changes stay."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_STAFF, seed_accounts
from cafepos.outbox import events_drain
from menu import demo as menu_demo
from orders import demo as orders_demo
from reports import demo as reports_demo
from tables import demo as tables_demo


class Command(BaseCommand):
    help = "Create what is missing of the demo cafe (locations, staff with PINs, menu, tables, orders); change nothing."

    def handle(self, *args, **options):
        self.seed()
        events_drain()  # its events (far more than a relay's batch) are all published before it returns

    @transaction.atomic
    def seed(self):
        locations = seed_accounts()
        self.stdout.write(self.style.SUCCESS(f"Demo cafe ready: {', '.join(loc.name for loc in locations)}"))
        for location in locations:
            counts = {**menu_demo.seed(location), **tables_demo.seed(location)}
            self.stdout.write(f"  {location.name}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        open_orders = sum(orders_demo.seed_open_orders(location) for location in locations)
        if open_orders:
            self.stdout.write(f"  {open_orders} open orders on the floor and in the kitchen, one item sold out at each")
        history = sum(reports_demo.seed_history(location) for location in locations)
        if history:
            self.stdout.write(f"  {history} orders of sales history over the last {reports_demo.DEMO_DAYS} days")
        self.stdout.write("Logins as first made (admin at http://127.0.0.1:8000/admin/, terminals at /terminal/pair/):")
        for email, password, _name, pin, role in DEMO_STAFF:
            pin_text = f"  PIN {pin}" if pin else ""
            self.stdout.write(f"  {role.label:<8} {email:<22} password {password:<16}{pin_text}")
