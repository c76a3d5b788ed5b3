from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rete.cases"
    label = "cases"
    verbose_name = _("Victim support")

    def ready(self):
        from rete.cases import selectors
        from rete.core.extensions import register_navigation, register_start_panel
        from rete.core.navigation import NavItem

        def caseload_panel(user):
            return selectors.caseload_summary(user=user) if selectors.case_organisations(user=user) else None

        def nav(user):
            from django.urls import reverse

            items = []
            if selectors.case_organisations(user=user):
                items.append(NavItem(_("Cases"), reverse("cases:caseload"), "cases"))
            if selectors.reviews_break_glass(user=user):
                items.append(NavItem(_("Break-glass openings"), reverse("cases:break_glass_review"), "break_glass"))
            return items

        # Risk assessments are made about a case (her situation), through the case's own selector.
        from django.urls import reverse as _reverse

        from rete.risk.subjects import SubjectType, register_subject

        register_subject(SubjectType(
            code="case", get=lambda user, pk: selectors.case_get(user=user, pk=pk),
            url=lambda case: _reverse("cases:case_detail", kwargs={"pk": case.pk}), assesses=("victim",),
            visible_ids=lambda user: selectors.case_ids_to_watch(user=user),
            recipients=lambda subject_id: selectors.case_people_to_remind(subject_id),
            active_ids=lambda: selectors.active_case_ids(),
        ))

        register_start_panel("cases/panel_caseload.html", caseload_panel)
        register_navigation(nav)

        # `rete tick`: hearing and order-expiry reminders, orders past their date marked expired.
        from rete.cases import tasks
        from rete.core.extensions import register_tick

        register_tick(tasks.tick)
