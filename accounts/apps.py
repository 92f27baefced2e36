from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff and locations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import signals  # noqa: F401  (connects the invalidation of cached staff access)
        from .terminal_auth import forget_terminal_on_login

        user_logged_in.connect(forget_terminal_on_login, dispatch_uid="accounts.forget_terminal_on_login")
