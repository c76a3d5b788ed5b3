from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "rete.network"
    label = "network"
    verbose_name = _("Cooperation network")

    def ready(self):
        from rete.core.extensions import register_navigation

        def protocols_nav(user):
            # Protocols (part "protocol-editor"): whoever coordinates, or can read one version.
            from django.urls import reverse

            from rete.core.navigation import NavItem
            from rete.network.selectors.protocols import may_use_protocols

            if may_use_protocols(user=user):
                return [NavItem(_("Protocols"), reverse("network:protocol_list"), "network_protocols")]
            return []

        register_navigation(protocols_nav)

        # `rete tick` (part "protocol-lifecycle"): e-mail the coordinators when an adopted
        # protocol's review date is near or past.
        from rete.core.extensions import register_tick
        from rete.network import tasks

        register_tick(tasks.tick)

        # Referrals (part "referral-core"): reminders of overdue referrals.
        from rete.network.services.referrals import consent_withdrawn, referral_tick

        register_tick(referral_tick)
        # A consent withdrawn on a case stops the sharing of the referrals made under it.
        from rete.core.extensions import register_consent_withdrawn

        register_consent_withdrawn(consent_withdrawn)

        # Referrals received (part "referral-receiver"): the inbox for the case roles (no query:
        # memberships are cached per request), and on the start page how many wait for an answer.
        from rete.core.extensions import register_start_panel

        def referrals_received_nav(user):
            from django.urls import reverse

            from rete.core.navigation import NavItem
            from rete.network.selectors.referrals_received import receives_referrals

            if receives_referrals(user=user):
                return [NavItem(_("Referrals received"), reverse("network:referral_inbox"), "network_referrals_received")]
            return []

        def referrals_waiting(user):
            from rete.network.selectors.referrals_received import waiting_summary

            return waiting_summary(user=user)

        register_navigation(referrals_received_nav)
        register_start_panel("network/referrals_received_panel.html", referrals_waiting)
