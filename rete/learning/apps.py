from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "rete.learning"
    label = "learning"
    verbose_name = _("Mutual learning")

    def ready(self):
        from django.urls import reverse

        from rete.core.extensions import register_navigation
        from rete.core.navigation import NavItem
        from rete.core.selectors import active_memberships

        # Every member of the network reads published practices and sees the training on offer
        # (no query: memberships are cached per request).
        def nav(user):
            if not active_memberships(user=user):
                return []
            return [NavItem(_("Practices"), reverse("learning:practice_list"), "learning_practices"),
                    NavItem(_("Training"), reverse("learning:event_list"), "learning_training")]

        register_navigation(nav)

        # Each part appends its own registrations below.
