from django.urls import path  # noqa: F401 (used by the blocks appended below)

app_name = "network"
urlpatterns = []

# Each part appends its own block below.

# Protocols, reading and editing (part "protocol-editor"): the list, a new protocol, a protocol's
# versions, a version in any language, and the editor of a draft (text per language, parties,
# pathways with their steps, sharing rules).
from rete.network.views import protocols as _protocols  # noqa: E402

urlpatterns += [
    path("protocols/", _protocols.protocol_list, name="protocol_list"),
    path("protocols/new/", _protocols.protocol_add, name="protocol_add"),
    path("protocols/<int:protocol_id>/", _protocols.protocol_detail, name="protocol_detail"),
    path("protocols/versions/<int:version_id>/", _protocols.version_detail, name="version_detail"),
    path("protocols/versions/<int:version_id>/edit/<str:language>/", _protocols.version_edit, name="version_edit"),
    path("protocols/versions/<int:version_id>/parties/new/", _protocols.party_add, name="party_add"),
    path("protocols/parties/<int:party_id>/edit/<str:language>/", _protocols.party_edit, name="party_edit"),
    path("protocols/parties/<int:party_id>/remove/", _protocols.party_remove, name="party_remove"),
    path("protocols/versions/<int:version_id>/pathways/new/", _protocols.pathway_add, name="pathway_add"),
    path("protocols/pathways/<int:pathway_id>/edit/<str:language>/", _protocols.pathway_edit, name="pathway_edit"),
    path("protocols/pathways/<int:pathway_id>/remove/", _protocols.pathway_remove, name="pathway_remove"),
    path("protocols/versions/<int:version_id>/rules/new/", _protocols.rule_add, name="rule_add"),
    path("protocols/rules/<int:rule_id>/edit/<str:language>/", _protocols.rule_edit, name="rule_edit"),
    path("protocols/rules/<int:rule_id>/remove/", _protocols.rule_remove, name="rule_remove"),
]

# Protocols, the life of a version (part "protocol-lifecycle"): circulation, comments, sign-off
# (online, or on paper recorded by a coordinator), adoption, the next version, the printed PDF.
# The actions are POST only; they are forms of the lifecycle panel on the version page.
from rete.network.views import lifecycle as _lifecycle  # noqa: E402

urlpatterns += [
    path("protocols/versions/<int:version_id>/circulate/", _lifecycle.version_circulate, name="version_circulate"),
    path("protocols/versions/<int:version_id>/reopen/", _lifecycle.version_reopen, name="version_reopen"),
    path("protocols/versions/<int:version_id>/comments/", _lifecycle.version_comments, name="version_comments"),
    path("protocols/versions/<int:version_id>/comments/new/", _lifecycle.comment_add, name="comment_add"),
    path("protocols/parties/<int:party_id>/sign/", _lifecycle.party_sign, name="party_sign"),
    path("protocols/parties/<int:party_id>/sign/record/", _lifecycle.party_sign_record, name="party_sign_record"),
    path("protocols/versions/<int:version_id>/adopt/", _lifecycle.version_adopt, name="version_adopt"),
    path("protocols/<int:protocol_id>/versions/new/", _lifecycle.version_new, name="version_new"),
    path("protocols/versions/<int:version_id>/<str:language>.pdf", _lifecycle.version_pdf, name="version_pdf"),
]

# Referrals, the receiver's side (part "referral-receiver"): the inbox, a referral's package and
# the answers (POST only), and protocol compliance for the coordinators.
from rete.network.views import referrals_received as _received  # noqa: E402

urlpatterns += [
    path("referrals/", _received.referral_inbox, name="referral_inbox"),
    path("referrals/received/<int:referral_id>/", _received.referral_received_detail, name="referral_received_detail"),
    path("referrals/received/<int:referral_id>/accept/", _received.referral_accept, name="referral_accept"),
    path("referrals/received/<int:referral_id>/decline/", _received.referral_decline, name="referral_decline"),
    path("referrals/received/<int:referral_id>/feedback/", _received.referral_feedback, name="referral_feedback"),
    path("protocols/<int:protocol_id>/compliance/", _received.protocol_compliance, name="protocol_compliance"),
]

# Referrals, the sender's side (part "referral-sender"): refer a case, the sent referral, and
# the withdrawal of the share (POST only, a form on the sent referral's page).
from rete.network.views import referrals_sent as _referrals_sent  # noqa: E402

urlpatterns += [
    path("cases/<int:case_id>/referrals/new/", _referrals_sent.referral_new, name="referral_new"),
    path("referrals/sent/<int:referral_id>/", _referrals_sent.referral_sent_detail, name="referral_sent_detail"),
    path("referrals/sent/<int:referral_id>/withdraw/", _referrals_sent.referral_withdraw, name="referral_withdraw"),
]

# Partner contact, the partner-support workers' side (part "partner-contact"): the inbox of links
# from perpetrator programmes, a link's page, and its actions (POST only). The programme side has
# no page here: rete.programmes calls network.services/selectors.partner_contact.
from rete.network.views import partner_contact as _partner_contact  # noqa: E402

urlpatterns += [
    path("partner-contact/", _partner_contact.partner_inbox, name="partner_inbox"),
    path("partner-contact/<int:partner_link_id>/", _partner_contact.partner_link_detail, name="partner_link_detail"),
    path("partner-contact/<int:partner_link_id>/attach/", _partner_contact.partner_link_attach, name="partner_link_attach"),
    path("partner-contact/<int:partner_link_id>/status/", _partner_contact.partner_link_status, name="partner_link_status"),
    path("partner-contact/<int:partner_link_id>/seen/", _partner_contact.partner_link_seen, name="partner_link_seen"),
]


# Risk conferences (part "conference-pages"): series, members and representatives, meetings,
# the agenda and the chair's minute per case, actions agreed, minutes (PDF), figures. POST-only
# actions: member/representative removal and addition, agenda build, item removal, action add,
# meeting held, minutes sent.
from rete.network.views import conferences as _conferences  # noqa: E402

urlpatterns += [
    path("conferences/", _conferences.conference_list, name="conference_list"),
    path("conferences/new/", _conferences.conference_series_add, name="conference_series_add"),
    path("conferences/<int:series_id>/", _conferences.conference_series_detail, name="conference_series_detail"),
    path("conferences/<int:series_id>/edit/", _conferences.conference_series_edit, name="conference_series_edit"),
    path("conferences/<int:series_id>/members/new/", _conferences.conference_member_add, name="conference_member_add"),
    path("conferences/members/<int:conference_member_id>/remove/", _conferences.conference_member_remove, name="conference_member_remove"),
    path("conferences/members/<int:conference_member_id>/representatives/new/", _conferences.conference_representative_add, name="conference_representative_add"),
    path("conferences/representatives/<int:representative_id>/remove/", _conferences.conference_representative_remove, name="conference_representative_remove"),
    path("conferences/<int:series_id>/meetings/new/", _conferences.conference_meeting_add, name="conference_meeting_add"),
    path("conferences/meetings/<int:meeting_id>/", _conferences.conference_meeting_detail, name="conference_meeting_detail"),
    path("conferences/meetings/<int:meeting_id>/agenda/", _conferences.conference_agenda_build, name="conference_agenda_build"),
    path("conferences/meetings/<int:meeting_id>/held/", _conferences.conference_meeting_held, name="conference_meeting_held"),
    path("conferences/meetings/<int:meeting_id>/minutes/send/", _conferences.conference_minutes_send, name="conference_minutes_send"),
    path("conferences/meetings/<int:meeting_id>/minutes/<str:language>.pdf", _conferences.conference_minutes_pdf, name="conference_minutes_pdf"),
    path("conferences/items/<int:item_id>/", _conferences.conference_item_edit, name="conference_item_edit"),
    path("conferences/items/<int:item_id>/remove/", _conferences.conference_item_remove, name="conference_item_remove"),
    path("conferences/items/<int:item_id>/actions/new/", _conferences.conference_action_add, name="conference_action_add"),
    path("conferences/<int:series_id>/figures/", _conferences.conference_figures, name="conference_figures"),
]

# Risk conferences from a case (part "conference-case"): refer a case, the sender's view and
# withdrawal, the summary for representatives, the actions of the agencies she represents.
from rete.network.views import conference_cases as _conference_cases  # noqa: E402

urlpatterns += [
    path("cases/<int:case_id>/conferences/new/", _conference_cases.conference_referral_new, name="conference_referral_new"),
    path("conferences/referrals/sent/<int:conference_referral_id>/", _conference_cases.conference_referral_sent, name="conference_referral_sent"),
    path("conferences/referrals/sent/<int:conference_referral_id>/withdraw/", _conference_cases.conference_referral_withdraw, name="conference_referral_withdraw"),
    path("conferences/referrals/<int:conference_referral_id>/", _conference_cases.conference_summary, name="conference_summary"),
    path("conferences/actions/", _conference_cases.conference_actions, name="conference_actions"),
    path("conferences/actions/<int:conference_action_id>/", _conference_cases.conference_action_detail, name="conference_action_detail"),
]

# The partner's outcome questionnaires (issue 6, part "outcomes"), on the partner-support side
# only: record her answers at a timepoint, read them. The section on the link's page comes from
# views/partner_outcomes.section. The programme never reaches these (404).
from rete.network.views import partner_outcomes as _partner_outcomes  # noqa: E402

urlpatterns += [
    path("partner-contact/<int:partner_link_id>/outcomes/new/", _partner_outcomes.partner_outcome_record,
         name="partner_outcome_record"),
    path("partner-contact/outcomes/<int:partner_outcome_id>/", _partner_outcomes.partner_outcome_detail,
         name="partner_outcome_detail"),
]
