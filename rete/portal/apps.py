from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "rete.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from rete.core.extensions import register_navigation

        def nav(user):
            from django.urls import reverse

            from rete.core.navigation import NavItem
            from rete.portal.selectors import editor_countries

            if editor_countries(user=user):
                return [NavItem(_("Public portal"), reverse("portal:editor_home"), "portal_editor")]
            return []

        register_navigation(nav)

        # Information pages (part "pages"): after `migrate` (and a test database's flush) the
        # pages Rete ships are installed where a language has no version yet.
        from django.db.models.signals import post_migrate

        post_migrate.connect(install_shipped_pages, sender=self, dispatch_uid="rete.portal.install_shipped_pages")


def install_shipped_pages(sender, using="default", verbosity=1, stdout=None, **kwargs):
    """post_migrate of the portal: the shipped information pages (services.pages.pages_install_shipped).
    Skipped while the tables it needs do not exist; a problem is logged, never stops `migrate`."""
    import logging

    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

    from rete.portal.models import PageVersion

    if using != DEFAULT_DB_ALIAS:
        return
    try:
        tables = set(connections[using].introspection.table_names())
        if PageVersion._meta.db_table not in tables or "core_auditevent" not in tables:
            return
        from rete.portal.services.pages import pages_install_shipped

        created = pages_install_shipped()
    except (DatabaseError, OSError, ValueError):
        logging.getLogger(__name__).exception("Shipped information pages could not be installed")
        return
    if created and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Installed {created} shipped information page version(s).\n")
