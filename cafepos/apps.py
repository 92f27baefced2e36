from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CafePOSConfig(AppConfig):
    default = True
    name = "cafepos"
    verbose_name = "CafePOS core"

    def ready(self):
        from cafepos import outbox, outbox_sweeper
        from cafepos.observability import celery_signals  # noqa: F401 (connects the task signal receivers)

        outbox.register_backlog_kick(outbox_sweeper.kick)


class CafePOSAdminConfig(AdminConfig):
    default_site = "cafepos.admin_site.CafePOSAdminSite"
