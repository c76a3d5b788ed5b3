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
