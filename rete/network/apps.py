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

        # Partner contact (part "partner-contact"): the inbox for the partner-support workers (no
        # query: memberships are cached per request), and on the start page how many events from
        # programmes they have not seen yet.
        def partner_contact_nav(user):
            from django.urls import reverse

            from rete.core.navigation import NavItem
            from rete.network.selectors.partner_contact import supports_partners

            if supports_partners(user=user):
                return [NavItem(_("Partner contact"), reverse("network:partner_inbox"), "network_partner_contact")]
            return []

        def partner_events_unseen(user):
            from rete.network.selectors.partner_contact import unseen_summary

            return unseen_summary(user=user)

        register_navigation(partner_contact_nav)
        register_start_panel("network/partner_contact_panel.html", partner_events_unseen)

        # Risk conferences (part "conference-core"): action reminders, consent withdrawn, the
        # automatic repeat after a new incident, and the navigation entry for coordinators and
        # representatives (one cached query per request).
        from rete.core.extensions import register_incident_recorded
        from rete.network.services import conferences as conference_services

        register_tick(conference_services.conference_tick)
        register_consent_withdrawn(conference_services.consent_withdrawn)
        register_incident_recorded(conference_services.incident_recorded)

        def conferences_nav(user):
            from django.urls import reverse

            from rete.core.navigation import NavItem
            from rete.network.selectors.conferences import may_use_conferences

            if may_use_conferences(user=user):
                return [NavItem(_("Risk conferences"), reverse("network:conference_list"), "network_conferences")]
            return []

        register_navigation(conferences_nav)

        # Risk conferences from a case (part "conference-case"): on the start page, the open
        # actions of the agencies she represents (no panel when there are none).
        def conference_actions_due(user):
            from rete.network.selectors.conferences import my_open_actions

            rows = my_open_actions(user=user) if user.is_authenticated else []
            if not rows:
                return None
            return {"actions": rows[:5], "count": len(rows), "overdue": sum(1 for a in rows if a.overdue)}

        register_start_panel("network/conference_actions_panel.html", conference_actions_due)

        # Partner safety (rete.programmes, part "partner-safety"): whoever works, or once worked,
        # with a man never opens his partner's case, whatever her roles (rete.cases.access).
        from rete.cases.access import register_hidden_cases
        from rete.network.selectors.partner_contact import partner_cases_hidden_from

        register_hidden_cases(partner_cases_hidden_from)
