from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CafePOSConfig(AppConfig):
    default = True
    name = "cafepos"
    verbose_name = "CafePOS core"


class CafePOSAdminConfig(AdminConfig):
    default_site = "cafepos.admin_site.CafePOSAdminSite"
