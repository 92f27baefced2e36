"""`manage.py makemessages`: Django's command with this project's defaults, so `make messages-extract`, a
translator and the catalog test extract exactly the same strings.

Without `-l`/`--all` it writes every shipped language but English; it never scans the virtualenv, node
modules, collected static files, tests, benchmarks, chaos or mutation runs; entries carry no source locations
(less churn in reviews) and strings the code no longer has are dropped.
"""

from django.conf import settings
from django.core.management.commands import makemessages

IGNORED = [".venv", "node_modules", "staticfiles", "media", "mutants", "bench", "chaos", "tests"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options["no_location"] = True
        options["no_obsolete"] = True
        if not options.get("locale") and not options.get("all"):
            options["locale"] = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        return super().handle(*args, **options)
