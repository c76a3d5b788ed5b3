from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "rete.programmes"
    label = "programmes"
    verbose_name = _("Perpetrator programmes")

    def ready(self):
        from django.urls import reverse

        from rete.core.extensions import register_navigation
        from rete.core.navigation import NavItem
        from rete.programmes.selectors import enrolments as selectors

        def nav(user):
            if selectors.works_with_men(user=user):
                return [NavItem(_("Programme"), reverse("programmes:enrolment_list"), "programmes")]
            return []

        register_navigation(nav)

        # Risk assessments with perpetrator-side instruments are made about an enrolment,
        # through the enrolment's own selector.
        from rete.risk.subjects import SubjectType, register_subject

        register_subject(SubjectType(
            code="enrolment", get=lambda user, pk: selectors.enrolment_get(user=user, pk=pk),
            url=lambda enrolment: reverse("programmes:enrolment_detail", kwargs={"enrolment_id": enrolment.pk}),
            assesses=("perpetrator",),
            visible_ids=lambda user: selectors.enrolment_ids_to_watch(user=user),
            recipients=lambda subject_id: selectors.enrolment_people_to_remind(subject_id),
            active_ids=lambda: selectors.active_enrolment_ids(),
        ))

        # Separation: whoever ever worked with a man is never on his partner's side (rete.network).
        from rete.network.selectors.partner_contact import register_programme_staff

        register_programme_staff(enrolments=selectors.enrolments_worked_with, people=selectors.people_worked_with)

        # Each part appends its own registrations below.

        # Part "mandate-assessment": a signed risk assessment of an enrolment whose band rose (or a
        # first one in the highest band) reaches the partner-support service at once.
        import dataclasses

        from rete.risk.subjects import subject_type as risk_subject_type

        def risk_signed(**kwargs):
            from rete.programmes.services.mandate import risk_signed as signed

            return signed(**kwargs)

        register_subject(dataclasses.replace(risk_subject_type("enrolment"), signed=risk_signed))

        # Part "intake": on the start page of facilitators and programme coordinators, how many
        # open enrolments they may open are before / in / after the programme or non-compliant
        # (one aggregate query; no panel when she works with no men).
        from rete.core.extensions import register_start_panel

        def intake_panel(user):
            from rete.programmes.selectors.intake import start_summary

            return start_summary(user=user)

        register_start_panel("programmes/intake_panel.html", intake_panel)

        # Part "court-reports": the "Court reports" page for whoever works with men (no query:
        # memberships are cached per request), and `rete tick`: the mandates' periodic reports
        # fall due, reminders of reports due within three days or overdue.
        from rete.core.extensions import register_tick
        from rete.programmes import tasks as programme_tasks

        def court_reports_nav(user):
            from rete.core.navigation import NavItem
            from rete.programmes.selectors.enrolments import works_with_men

            if works_with_men(user=user):
                return [NavItem(_("Court reports"), reverse("programmes:court_report_list"), "programmes_court_reports")]
            return []

        register_navigation(court_reports_nav)
        register_tick(programme_tasks.tick)

        # Pathways (part "pathways"): the programme coordinators define them (no query:
        # memberships are cached per request); facilitators reach the versions in use from the
        # men's records.
        def pathways_nav(user):
            from rete.core.navigation import NavItem
            from rete.programmes.selectors.pathways import may_coordinate

            if may_coordinate(user=user):
                return [NavItem(_("Pathways"), reverse("programmes:pathway_list"), "programmes_pathways")]
            return []

        register_navigation(pathways_nav)

        # Groups and sessions (part "groups-sessions"): the "Groups" page for whoever works with
        # men (no query: memberships are cached per request); on a facilitator's start page the
        # sessions of her groups of the past week with no attendance yet and today's (one
        # query; no panel when there are none); `rete tick`: the attendance rules run again for
        # the men seen in the last three weeks, so that the weekly rule fires without new
        # attendance (a finding is recorded once).
        from rete.core.extensions import register_navigation, register_start_panel, register_tick

        def groups_nav(user):
            from rete.core.navigation import NavItem
            from rete.programmes.selectors.groups import may_use_groups

            if may_use_groups(user=user):
                return [NavItem(_("Groups"), reverse("programmes:group_list"), "programmes_groups")]
            return []

        def group_sessions_panel(user):
            from rete.programmes.selectors.sessions import sessions_to_record

            return sessions_to_record(user=user)

        def compliance_tick(now):
            from rete.programmes.services.compliance import compliance_tick as run

            return run(now)

        register_navigation(groups_nav)
        register_start_panel("programmes/session_panel.html", group_sessions_panel)
        register_tick(compliance_tick)

        # Outcome monitoring (part "outcomes"): the "Outcomes" page for programme coordinators
        # (no query: memberships are cached per request); after `migrate`, Rete's own outcome
        # questionnaires (rete/programmes/questionnaires/*.yaml) are installed, as the risk app
        # installs its shipped instruments.
        def outcomes_nav(user):
            from rete.core.navigation import NavItem
            from rete.programmes.selectors.outcomes import figures_organisations

            if figures_organisations(user=user):
                return [NavItem(_("Outcomes"), reverse("programmes:outcome_figures"), "programmes_outcomes")]
            return []

        register_navigation(outcomes_nav)

        from django.db.models.signals import post_migrate

        from rete.programmes.services.outcomes import install_shipped_questionnaires

        post_migrate.connect(install_shipped_questionnaires, sender=self,
                             dispatch_uid="rete.programmes.install_shipped_questionnaires")

