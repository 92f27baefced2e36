from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CafePOSConfig(AppConfig):
    default = True
    name = "cafepos"
    verbose_name = "CafePOS core"

    def ready(self):
        from cafepos.observability import celery_signals  # noqa: F401 (connects the task signal receivers)


class CafePOSAdminConfig(AdminConfig):
    default_site = "cafepos.admin_site.CafePOSAdminSite"
