"""WSGI entry point: gunicorn serves the HTTP API and pages in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")

application = get_wsgi_application()
