"""`manage.py compilemessages`: Django's command, compiled with Babel instead of GNU gettext's msgfmt.

A fresh machine (and the slim Docker image) has no gettext tools; Babel is a runtime dependency anyway. Each
`locale/<lang>/LC_MESSAGES/*.po` becomes its `.mo` beside it; fuzzy entries are left out, as msgfmt does.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into its .mo file (with Babel)."

    def handle(self, *args, **options):
        for po_path in sorted(path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            if options["verbosity"] > 1:
                self.stdout.write(f"compiled {po_path}")
