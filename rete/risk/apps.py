from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "rete.risk"
    label = "risk"
    verbose_name = _("Risk assessment")

    def ready(self):
        # After `migrate` (and a test database's flush) Rete's own instruments are installed.
        from django.db.models.signals import post_migrate

        post_migrate.connect(install_shipped_instruments, sender=self, dispatch_uid="rete.risk.install_shipped_instruments")

        from rete.core.extensions import register_navigation, register_start_panel, register_tick
        from rete.risk import selectors, tasks

        # In-app reminders: reassessments and actions due on the subjects she works on.
        register_start_panel("risk/panel_due.html", lambda user: selectors.risk_due_summary(user=user))
        # `rete tick`: e-mail reminders of overdue reassessments and actions due or overdue.
        register_tick(tasks.tick)

        def nav(user):
            from django.urls import reverse

            from rete.core.navigation import NavItem

            items = []
            if selectors.instrument_organisations(user=user) or user.is_superuser:
                items.append(NavItem(_("Risk instruments"), reverse("risk:instrument_list"), "risk_instruments"))
            if selectors.may_see_network(user=user):
                items.append(NavItem(_("Risk across the network"), reverse("risk:network"), "risk_network"))
            return items

        register_navigation(nav)


def install_shipped_instruments(sender, using="default", verbosity=1, stdout=None, **kwargs):
    """post_migrate of the risk app: load the shipped instrument files not installed yet
    (services.instruments_install_shipped). Skipped while the tables it needs do not exist (a
    migration run backwards, another database); a broken file is logged, never stops `migrate`."""
    import logging

    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

    from rete.risk.models import Instrument

    if using != DEFAULT_DB_ALIAS:
        return
    try:
        tables = set(connections[using].introspection.table_names())
        if Instrument._meta.db_table not in tables or "core_auditevent" not in tables:
            return
        from rete.risk.services import instruments_install_shipped

        loaded = instruments_install_shipped(strict=False)
    except DatabaseError:
        logging.getLogger(__name__).exception("Shipped risk instruments could not be installed")
        return
    if loaded and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Installed {loaded} shipped risk instrument version(s).\n")
