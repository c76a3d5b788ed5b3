"""The partner's outcome questionnaires, every write (part "outcomes" of issue 6): the
partner-support worker records her answers at a timepoint on the partner-contact link, and her
reading them is audited. Only a partner-support worker who may act on the link
(selectors.partner_contact.partner_link_lock_for_support) may do either: whoever works with the
man gets 404. Her answers are encrypted, recorded once per timepoint and questionnaire, never
edited, and never reach the programme except as suppressed counts
(selectors.partner_outcomes). Audit details carry ids and codes only."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import audit
from rete.core.services import ServiceError
from rete.network.models import PartnerOutcomeResponse
from rete.network.selectors.partner_contact import partner_link_lock_for_support


def _audit(verb, by, link, response, **detail):
    audit.record(action=f"network.partner_outcome_{verb}", actor=by, organisation=link.support_organisation, obj=response,
                 detail={"link": link.pk, "support": link.support_organisation_id, **detail})


@transaction.atomic
def partner_outcome_record(*, by, link, questionnaire, timepoint, answers: dict, answered_on) -> PartnerOutcomeResponse:
    """Her answers at a timepoint (intake, mid-way, end, follow-up) with a partner questionnaire
    her service may use. One set per timepoint and questionnaire (whatever its version)."""
    from rete.programmes.selectors.outcomes import questionnaire_for
    from rete.programmes.services.outcomes import check_answers

    link = partner_link_lock_for_support(user=by, link=link)
    questionnaire = questionnaire_for(respondent="partner", organisation_id=link.support_organisation_id,
                                      questionnaire_id=getattr(questionnaire, "pk", questionnaire))
    answers = check_answers(questionnaire=questionnaire, timepoint=timepoint, answers=answers, answered_on=answered_on,
                            earliest=timezone.localtime(link.requested_at).date())
    if PartnerOutcomeResponse.objects.filter(link=link, timepoint=timepoint, questionnaire__code=questionnaire.code).exists():
        raise ServiceError(_("Her answers at this time are already recorded: they are not changed once recorded."), "timepoint")
    response = PartnerOutcomeResponse.objects.create(link=link, questionnaire=questionnaire, timepoint=timepoint,
                                                     answers=answers, answered_on=answered_on, recorded_by=by)
    _audit("recorded", by, link, response, questionnaire=questionnaire.code, version=questionnaire.version, timepoint=timepoint)
    return response


@transaction.atomic
def partner_outcome_record_view(*, by, response) -> None:
    """She opened the partner's answers: an audit read event."""
    link = partner_link_lock_for_support(user=by, link=response.link_id)
    _audit("viewed", by, link, response, questionnaire=response.questionnaire.code, timepoint=response.timepoint)
