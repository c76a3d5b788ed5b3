from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rete.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self):
        from rete.core import auth  # noqa: F401  (audit receivers for sign-in events)
