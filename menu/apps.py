from django.apps import AppConfig


class MenuConfig(AppConfig):
    name = "menu"
    verbose_name = "Menu"

    def ready(self):
        from . import signals  # noqa: F401  (connects the cache invalidation)
