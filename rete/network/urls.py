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
