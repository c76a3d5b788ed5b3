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

        # Part "practice-review": "Reviews" for reviewers and deciders (no query: memberships are
        # cached per request), and the EIGE grid installed after `migrate` when there is none.
        from django.db.models.signals import post_migrate

        from rete.learning.selectors.review import takes_part
        from rete.learning.services.review import install_default_grid_after_migrate

        def review_nav(user):
            if not takes_part(user=user):
                return []
            return [NavItem(_("Reviews"), reverse("learning:review_queue"), "learning_reviews")]

        register_navigation(review_nav)
        post_migrate.connect(install_default_grid_after_migrate, sender=self,
                             dispatch_uid="rete.learning.install_default_grid")

        # Part "pilots": "Pilots" for the members who record their organisation's pilots
        # (rete.learning.access.SHARE_PRACTICES; no query: memberships are cached per request).
        from rete.learning.selectors.pilots import pilot_organisations

        def pilots_nav(user):
            if not pilot_organisations(user=user):
                return []
            return [NavItem(_("Pilots"), reverse("learning:pilot_list"), "learning_pilots")]

        register_navigation(pilots_nav)

        # Part "certificates": "Training report" for the trainers and network coordinators who run
        # their organisation's training (no query: memberships are cached per request).
        from rete.learning.selectors.reports import report_organisations

        def report_nav(user):
            if not report_organisations(user=user):
                return []
            return [NavItem(_("Training report"), reverse("learning:training_report"), "learning_training_report")]

        register_navigation(report_nav)

        # Part "registration": on the start page, her coming training (events she is registered
        # for or waiting for; one query), with the way to "My training".
        from rete.core.extensions import register_start_panel

        def my_training_panel(user):
            from rete.learning.views.registrations import upcoming_panel

            return upcoming_panel(user)

        register_start_panel("learning/registration_panel.html", my_training_panel)

        # Part "evaluation": `rete tick` e-mails the follow-up questionnaire (level 3) to the
        # registered participants of held events once it is due, and one reminder two weeks later
        # (rete.learning.services.evaluation.follow_up_tick; idempotent).
        from rete.core.extensions import register_tick

        def evaluation_tick(now):
            from rete.learning.services.evaluation import follow_up_tick

            return follow_up_tick(now)

        register_tick(evaluation_tick)
