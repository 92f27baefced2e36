"""`manage.py relay_events [--loop]`: the outbox sweeper, once or as a long-running process."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cafepos.outbox import RELAY_BATCH, events_relay


class Command(BaseCommand):
    help = "Hand unpublished outbox events to the registered handlers (once, or forever with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep sweeping until stopped.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when nothing is left.")
        parser.add_argument("--limit", type=int, default=RELAY_BATCH, help="Events per transaction.")

    def handle(self, *args, loop, interval, limit, **options):
        while True:
            published = events_relay(limit=limit)
            if options["verbosity"] > 1 or not loop:
                self.stdout.write(f"published {published} event(s)")
            if not loop:
                return
            if published < limit:
                time.sleep(interval)
            close_old_connections()  # long-running: drop connections that aged out or that the database closed
