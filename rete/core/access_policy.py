"""The access policy as data: URL name → persona → expected status of a GET.

Personas: "anonymous" (a visitor, not signed in), "outsider" (organisation admin and DPO of
*another* organisation), "superuser" (platform administrator, member of no organisation), and
one person per role of the home organisation, named by the role. A row lists the statuses that
differ from its default. tests/test_access_policy.py walks every URL of the project with every
persona and fails when a URL is missing here or answers differently.

Every new URL adds a row in the same change.
"""
from rete.core.models import Role

ROLES = tuple(Role.values)
PERSONAS = ("anonymous", "outsider", "superuser", *ROLES)

LOGIN = 302  # redirected to the sign-in page
DENIED = 404  # out of reach: the same answer as "does not exist"


def row(default, *, anonymous=LOGIN, **by_persona):
    expected = {persona: default for persona in PERSONAS}
    expected["anonymous"] = anonymous
    expected.update(by_persona)
    return expected


def only(allowed_status, *personas, anonymous=LOGIN, default=DENIED):
    return row(default, anonymous=anonymous, **{p: allowed_status for p in personas})


POLICY = {
    # Public portal: everyone, no sign-in.
    "portal:home": row(200, anonymous=200),
    "quick_exit": row(302, anonymous=302),
    # Staff: every signed-in person.
    "core:start": row(200),
    "core:preferences": row(200),
    "core:keepalive": row(405),  # POST only
    "core:resume": row(302),  # nothing stashed under that token: back to the start page
    # Organisation admin: only the home organisation's admins reach its members.
    "core:member_list": only(200, Role.ORG_ADMIN),
    "core:member_invite": only(200, Role.ORG_ADMIN),
    "core:member_edit": only(200, Role.ORG_ADMIN),
    "core:member_remove": only(200, Role.ORG_ADMIN),
    # Audit trail: data-protection officers (scoped to their organisations) and superusers.
    "core:audit_list": only(200, Role.DPO, "outsider", "superuser"),
    "core:audit_detail": only(200, Role.DPO, "superuser"),  # the event belongs to the home organisation
    "core:audit_verify": only(405, Role.DPO, "outsider", "superuser"),  # POST only
    "core:audit_export": only(302, Role.DPO, "outsider", "superuser"),  # asks for the password again
    # Victim support: case roles of the home organisation (partner-support workers included: they
    # keep the partner's case, rete.cases.access.OPEN_CASES) reach the caseload and intake; a case
    # itself only its team (the caseworker) and its supervisor (the walked case names the home
    # supervisor; another supervisor gets the break-glass page, tested in cases/tests).
    "cases:caseload": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.PARTNER_SUPPORT_WORKER),
    "cases:intake": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.PARTNER_SUPPORT_WORKER),
    "cases:case_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:closure_request": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:incident_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:consent_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:consent_withdraw": row(405),
    "cases:closure_decide": only(302, Role.SUPERVISOR),  # nothing pending: back to the case
    # POST-only actions answer 405 to a GET whoever asks, so they reveal nothing.
    "cases:note_add": row(405),
    "cases:case_hold": row(405),
    "cases:case_resume": row(405),
    "cases:case_reopen": row(405),
    "cases:team_change": row(405),
    "cases:draft_save": row(405),
    "cases:break_glass": row(405),
    "cases:supervisor_change": row(405),
    "cases:break_glass_review": only(200, Role.DPO, "outsider"),  # each DPO sees openings in her own organisations
    # API: 401 without credentials, then the same scoping as the pages.
    "api:schema": row(200, anonymous=200),
    "api:me": row(200, anonymous=401),
    "api:organisation_list": row(200, anonymous=401),
    "api:member_list": only(200, Role.ORG_ADMIN, anonymous=401),
    "api:audit_event_list": only(200, Role.DPO, "outsider", "superuser", anonymous=401),
    "cases_api:case_list": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.PARTNER_SUPPORT_WORKER,
                                anonymous=401),
    "cases_api:case_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    "cases_api:case_timeline": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    # django-allauth: sign-in, password, second factor.
    "account_login": row(302, anonymous=200),
    "account_logout": row(200),
    "account_signup": row(302, anonymous=200),  # "sign-up is closed" page
    "account_change_password": row(200),
    "account_set_password": row(302),  # staff have a password already
    "account_reset_password": row(200, anonymous=200),
    "account_reset_password_done": row(200, anonymous=200),
    "account_reset_password_from_key": row(200, anonymous=200),  # invalid key page
    "account_reset_password_from_key_done": row(200, anonymous=200),
    "account_reauthenticate": row(200),
    "account_email": row(200),
    "account_email_verification_sent": row(200, anonymous=200),
    "account_confirm_email": row(200, anonymous=200),  # invalid key page
    "account_confirm_login_code": row(302, anonymous=302),  # no code requested
    "account_inactive": row(200, anonymous=200),
    "mfa_index": row(200),
    "mfa_authenticate": row(302, anonymous=302),  # only during a sign-in
    "mfa_reauthenticate": row(200),
    "mfa_activate_totp": row(302),  # everyone here has TOTP already
    "mfa_deactivate_totp": row(302),  # asks for re-authentication first
    "mfa_generate_recovery_codes": row(302),
    "mfa_view_recovery_codes": row(404),  # none generated yet
    "mfa_download_recovery_codes": row(404),
    "mfa_add_webauthn": row(302),
    "mfa_list_webauthn": row(200),
    "mfa_edit_webauthn": row(302),
    "mfa_remove_webauthn": row(302),
    "mfa_reauthenticate_webauthn": row(302),
}

# Namespaces checked through one representative URL: the Django admin is for platform
# administrators only; everyone else is sent to its sign-in page.
NAMESPACE_POLICY = {
    "admin": ("admin:index", row(302, anonymous=302, superuser=200)),
}

# Victim support, access to justice: the walked case's team and supervisor; everyone else 404.
POLICY.update({
    "cases:justice": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:complaint_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:complaint_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:order_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:order_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:proceeding_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:proceeding_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:hearing_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:hearing_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
})

# Individual needs assessment: the case's team and its supervisor, like the case itself.
POLICY.update({
    "cases:needs_assessment_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:needs_assessment_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR),
})

# Victim support: information given (Art. 4) and the safety plan. The walked case has a safety
# plan (cases/tests/policy_values.py), so its printout answers 200 to the case's readers.
POLICY.update({
    "cases:information_checklist": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:information_leaflet": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:safety_plan": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:safety_plan_review": row(405),  # POST only
    "cases:safety_plan_pdf": only(200, Role.CASEWORKER, Role.SUPERVISOR),
})

# Victim support, support plan: the walked case's team and supervisor; everyone else 404. The
# API answers 401 without credentials, then the same scoping as the pages.
POLICY.update({
    "cases:service_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:service_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases_api:service_list": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    "cases_api:service_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
})

# Victim support: people around her and documents. The walked case has a related person and a
# document (cases/tests/policy_values.py); a download answers 200 to the case's readers. The API
# answers 401 without credentials, then the same scoping as the pages.
POLICY.update({
    "cases:related_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:related_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:related_end": row(405),  # POST only
    "cases:attachment_add": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:attachment_download": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "cases:attachment_remove": row(405),  # POST only
    "cases_api:case_people": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    "cases_api:incident_list": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    "cases_api:incident_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
})

POLICY.update({
    "cases:person_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
})

# Risk: a subject's history (the walked case: its team and its supervisor), the network view
# (network coordinators and platform administrators), the instruments page (case roles,
# organisation admins, network coordinators, platform administrators; the outsider is an admin
# elsewhere).
POLICY.update({
    "risk:subject_history": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "risk:network": only(200, Role.NETWORK_COORDINATOR, "superuser"),
    "risk:instrument_list": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.ORG_ADMIN,
                                 Role.NETWORK_COORDINATOR, "outsider", "superuser"),
})

# Risk: assessments of the walked case (a draft and a signed one with its actions, see
# cases/tests/policy_values.py): its team and its supervisor; everyone else 404. POST-only
# actions answer 405 to a GET whoever asks.
POLICY.update({
    "risk:assessment_start": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "risk:assessment_edit": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "risk:assessment_sign": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "risk:assessment_autosave": row(405),
    "risk:assessment_correct": row(405),
    "risk:action_update": row(405),
    "risk:event_record": row(405),
})

# Public portal: the self-checks (answered in the browser only) and the pages about quick exit
# and browsing safely.
POLICY.update({
    "portal:self_check": row(200, anonymous=200),
    "portal:self_check_me": row(200, anonymous=200),
    "portal:self_check_other": row(200, anonymous=200),
    "portal:quick_exit_info": row(200, anonymous=200),
    "portal:browsing_safely": row(200, anonymous=200),
})

# Public portal: the service directory (part 1).
POLICY.update({
    "portal:directory": row(200, anonymous=200),
})

# Safe contact (part 3): the public request form, and the intake queue of requests for the case
# roles of the receiving organisation (everyone else 404).
POLICY.update({
    "portal:safe_contact": row(200, anonymous=200),
    "cases:contact_requests": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.PARTNER_SUPPORT_WORKER),
    "cases:contact_request_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER,
                                         Role.PARTNER_SUPPORT_WORKER),
})

# Public portal, editing (content editors and network coordinators, for their organisations'
# countries; everyone else 404). Each part of the editor appends its rows below.
EDITORS = (Role.CONTENT_EDITOR, Role.NETWORK_COORDINATOR)
POLICY.update({
    "portal:editor_home": only(200, *EDITORS),
})

# Campaigns, social media posts and reach (part "campaigns-reach"): editors of the campaign's
# country; POST-only actions answer 405 to a GET.
POLICY.update({
    "portal:editor_campaigns": only(200, *EDITORS),
    "portal:editor_campaign_add": only(200, *EDITORS),
    "portal:editor_campaign": only(200, *EDITORS),
    "portal:editor_campaign_edit": only(200, *EDITORS),
    "portal:editor_campaign_pack": only(200, *EDITORS),
    "portal:editor_post_add": only(200, *EDITORS),
    "portal:editor_post_calendar": only(200, *EDITORS),
    "portal:editor_post": only(200, *EDITORS),
    # The walked post is approved: no longer editable, so its edit page leads back to the post.
    "portal:editor_post_edit": only(302, *EDITORS),
    "portal:editor_post_submit": row(405),
    "portal:editor_post_approve": row(405),
    "portal:editor_post_return": row(405),
    "portal:editor_post_published": row(405),
    "portal:editor_post_image": only(200, *EDITORS),
    "portal:editor_post_pack": only(200, *EDITORS),
    "portal:editor_reach": only(200, *EDITORS),
    "portal:editor_reach_csv": only(200, *EDITORS),
})

# Info days and events, information materials (part "events-materials"): the public calendar,
# events, calendar files, materials and their PDFs for everyone (the walked event and material
# are published); the editors' side for the editors of the item's country (Italy); POST-only
# actions answer 405 to a GET.
POLICY.update({
    "portal:events": row(200, anonymous=200),
    "portal:events_ics": row(200, anonymous=200),
    "portal:event_detail": row(200, anonymous=200),
    "portal:event_ics": row(200, anonymous=200),
    "portal:editor_events": only(200, *EDITORS),
    "portal:editor_event_add": only(200, *EDITORS),
    "portal:editor_event_edit": only(200, *EDITORS),
    "portal:editor_event_publish": row(405),
    "portal:editor_event_cancel": row(405),
    "portal:editor_materials": only(200, *EDITORS),
    "portal:editor_material_add": only(200, *EDITORS),
    "portal:editor_material_edit": only(200, *EDITORS),
    "portal:editor_material_pdf": only(200, *EDITORS),
    "portal:materials": row(200, anonymous=200),
    "portal:material_pdf": row(200, anonymous=200),
})

# Information pages (part "pages"): the country's pages for everyone (the walked page is
# published in English); the editors' side for the editors of the page's country (Italy);
# POST-only actions answer 405 to a GET.
POLICY.update({
    "portal:info_index": row(200, anonymous=200),
    "portal:info_page": row(200, anonymous=200),
    "portal:editor_pages": only(200, *EDITORS),
    "portal:editor_page_add": only(200, *EDITORS),
    "portal:editor_page_edit": only(200, *EDITORS),
    "portal:editor_page_preview": only(200, *EDITORS),
    "portal:editor_page_history": only(200, *EDITORS),
    "portal:editor_page_version": only(200, *EDITORS),
    "portal:editor_page_review": only(200, *EDITORS),
    "portal:editor_page_submit": row(405),
    "portal:editor_page_discard": row(405),
})

# The service directory, the editors' side (part "directory-editor"): the editors of the entry's
# country (the walked entry is Italian); publishing is POST only and answers 405 to a GET.
POLICY.update({
    "portal:editor_directory": only(200, *EDITORS),
    "portal:editor_directory_add": only(200, *EDITORS),
    "portal:editor_directory_edit": only(200, *EDITORS),
    "portal:editor_directory_publish": row(405),
})

# Cooperation network: protocols (part 1). The walked protocol is coordinated by the home
# organisation, which is its only party (the outsider's organisation is not one); each part
# appends its own POLICY.update block below.

# Protocols, reading and editing (part "protocol-editor"). The walked protocol is coordinated by
# the home organisation, its only party; the walked version is ADOPTED (version 2 is a draft):
# every member of the home organisation reads it, the outsider and the superuser (members of
# neither) get 404. Its edit pages are 404 for everyone, coordinators included, because an
# adopted version is never edited; POST-only removals answer 405 to a GET.
POLICY.update({
    "network:protocol_list": row(200),
    "network:protocol_add": only(200, Role.NETWORK_COORDINATOR),
    "network:protocol_detail": row(200, outsider=DENIED, superuser=DENIED),
    "network:version_detail": row(200, outsider=DENIED, superuser=DENIED),
    "network:version_edit": row(DENIED),
    "network:party_add": row(DENIED),
    "network:party_edit": row(DENIED),
    "network:party_remove": row(405),
    "network:pathway_add": row(DENIED),
    "network:pathway_edit": row(DENIED),
    "network:pathway_remove": row(405),
    "network:rule_add": row(DENIED),
    "network:rule_edit": row(DENIED),
    "network:rule_remove": row(405),
})

# Protocols, the life of a version (part "protocol-lifecycle"). The walked version is adopted:
# its comments are read by the coordinators and by the comment roles of its party (the home
# organisation); its PDF by every member of the home organisation. The actions (circulate,
# reopen, comment, sign off, record a paper sign-off, adopt, start a new version) are POST only.
POLICY.update({
    "network:version_comments": only(200, Role.NETWORK_COORDINATOR, Role.ORG_ADMIN, Role.SUPERVISOR),
    "network:version_pdf": row(200, outsider=DENIED, superuser=DENIED),
    "network:version_circulate": row(405),
    "network:version_reopen": row(405),
    "network:comment_add": row(405),
    "network:party_sign": row(405),
    "network:party_sign_record": row(405),
    "network:version_adopt": row(405),
    "network:version_new": row(405),
})

# Referrals, the sender's side (part "referral-sender"). The walked referral goes from the walked
# case (home organisation) to a third organisation, party to an adopted protocol with home: the
# case's team (caseworker and its supervisor) open the form and the sent referral; everyone else
# gets 404, like the case itself. The withdrawal is POST only.
POLICY.update({
    "network:referral_new": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "network:referral_sent_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "network:referral_withdraw": row(405),
})

# Referrals, the receiver's side (part "referral-receiver"). The inbox is for the case roles
# (caseworker, supervisor, police officer) of any organisation: the home ones see an empty or
# filled list. The walked referral goes from the home organisation to a THIRD organisation: its
# receiver page is 404 for every walked persona; the answers are POST only. Compliance: the
# walked protocol is coordinated by the home organisation, for its network coordinator only.
POLICY.update({
    "network:referral_inbox": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.PARTNER_SUPPORT_WORKER),
    "network:referral_received_detail": row(DENIED),
    "network:referral_accept": row(405),
    "network:referral_decline": row(405),
    "network:referral_feedback": row(405),
    "network:protocol_compliance": only(200, Role.NETWORK_COORDINATOR),
})

# Referrals API (part "referral-api"): the same scoping as the referral pages, anonymous calls
# get 401. The walked referral (case_id, referral_id of the referral parts) goes from the walked
# case (home organisation) to a THIRD organisation: the inbox is for the case roles, the received
# referral is 404 for every walked persona; the case's referrals and the sent referral are for
# the case's team (caseworker and its supervisor). The answers and the withdrawal are POST only.
POLICY.update({
    "network_api:received_list": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER,
                                      Role.PARTNER_SUPPORT_WORKER, anonymous=401),
    "network_api:received_detail": row(DENIED, anonymous=401),
    "network_api:received_accept": row(405, anonymous=401),
    "network_api:received_decline": row(405, anonymous=401),
    "network_api:received_feedback": row(405, anonymous=401),
    "network_api:case_referrals": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    "network_api:sent_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR, anonymous=401),
    "network_api:sent_withdraw": row(405, anonymous=401),
})

# Partner contact (part "partner-contact"). The walked link comes from a perpetrator programme of
# a THIRD organisation and goes to the home organisation as the support service: its
# partner-support worker reaches the inbox and the link; everyone else gets 404 (the programme's
# staff never reach the partner side). The actions are POST only.
POLICY.update({
    "network:partner_inbox": only(200, Role.PARTNER_SUPPORT_WORKER),
    "network:partner_link_detail": only(200, Role.PARTNER_SUPPORT_WORKER),
    "network:partner_link_attach": row(405),
    "network:partner_link_status": row(405),
    "network:partner_link_seen": row(405),
})

# Risk conferences from a case (part "conference-case"). The walked conference referral is of the
# walked case (home organisation) to a series coordinated by home, whose home representatives are
# the caseworker, the supervisor and the network coordinator; it is on a planned meeting's agenda
# with one action for home. The sender's pages: the case's team (caseworker and its supervisor).
# The summary, the action and the list of actions: the series' coordinator and representatives.
# The withdrawal is POST only.
POLICY.update({
    "network:conference_referral_new": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "network:conference_referral_sent": only(200, Role.CASEWORKER, Role.SUPERVISOR),
    "network:conference_referral_withdraw": row(405),
    "network:conference_summary": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.NETWORK_COORDINATOR),
    "network:conference_actions": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.NETWORK_COORDINATOR),
    "network:conference_action_detail": only(200, Role.CASEWORKER, Role.SUPERVISOR, Role.NETWORK_COORDINATOR),
})

# Risk conferences, the coordinators' and representatives' pages (part "conference-pages"). The
# walked series is coordinated by the home organisation, its only member; the home caseworker,
# supervisor and network coordinator represent it (the network coordinator also coordinates).
# Coordinators' pages (new, edit, schedule, the chair's minute, figures) are for the network
# coordinator; the series, a meeting and its minutes for the three representatives; everyone
# else (the outsider and the superuser included) gets 404. The actions are POST only.
_CONFERENCE_SEATS = (Role.CASEWORKER, Role.SUPERVISOR, Role.NETWORK_COORDINATOR)
POLICY.update({
    "network:conference_list": only(200, *_CONFERENCE_SEATS),
    "network:conference_series_add": only(200, Role.NETWORK_COORDINATOR),
    "network:conference_series_detail": only(200, *_CONFERENCE_SEATS),
    "network:conference_series_edit": only(200, Role.NETWORK_COORDINATOR),
    "network:conference_member_add": row(405),
    "network:conference_member_remove": row(405),
    "network:conference_representative_add": row(405),
    "network:conference_representative_remove": row(405),
    "network:conference_meeting_add": only(200, Role.NETWORK_COORDINATOR),
    "network:conference_meeting_detail": only(200, *_CONFERENCE_SEATS),
    "network:conference_agenda_build": row(405),
    "network:conference_meeting_held": row(405),
    "network:conference_minutes_send": row(405),
    "network:conference_minutes_pdf": only(200, *_CONFERENCE_SEATS),
    "network:conference_item_edit": only(200, Role.NETWORK_COORDINATOR),
    "network:conference_item_remove": row(405),
    "network:conference_action_add": row(405),
    "network:conference_figures": only(200, Role.NETWORK_COORDINATOR),
})

# Perpetrator programmes (rete.programmes). The walked enrolment (programmes/tests/policy_values)
# is the home programme's, taken by the home facilitator: its staff and the programme coordinator
# reach it. Each part appends its own POLICY.update block below.
POLICY.update({
    "programmes:enrolment_list": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:enquiry": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:enrolment_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
})

# Perpetrator programmes API (part "api"): the same scoping as the programme's pages, anonymous
# calls get 401. The enrolment list is for those who work with men (facilitator, programme
# coordinator); the walked enrolment and its history, attendance, compliance findings and court
# reports for its staff (the home facilitator) and the programme coordinator; everyone else,
# partner-support workers included, gets 404. The change of state is POST only.
POLICY.update({
    "programmes_api:enrolment_list": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR, anonymous=401),
    "programmes_api:enrolment_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR, anonymous=401),
    "programmes_api:enrolment_state_changes": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR, anonymous=401),
    "programmes_api:enrolment_transition": row(405, anonymous=401),
    "programmes_api:enrolment_attendance": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR, anonymous=401),
    "programmes_api:enrolment_compliance_events": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR, anonymous=401),
    "programmes_api:enrolment_court_reports": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR, anonymous=401),
})

# Partner safety in a perpetrator programme (part "partner-safety"): the section of the enrolment
# page asks for partner contact, sends events, reports a disclosed threat and ends the contact;
# the actions are POST only and answer 405 to a GET whoever asks.
POLICY.update({
    "programmes:partner_request": row(405),
    "programmes:partner_event": row(405),
    "programmes:partner_threat": row(405),
    "programmes:partner_end": row(405),
})

# Court mandate, suitability decision, risk (programmes part "mandate-assessment"). The walked
# enrolment has a mandate with one recipient: its staff (the home facilitator) and the home
# programme coordinator reach the mandate's page and the recipients' pages; everyone else (the
# outsider and the superuser included) gets 404. Removing a recipient and the suitability
# decision are POST only.
POLICY.update({
    "programmes:mandate_edit": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:mandate_recipient_add": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:mandate_recipient_edit": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:mandate_recipient_remove": row(405),
    "programmes:suitability_decide": row(405),
})

# The enrolment's life (programmes part "intake"). The walked enrolment is the home programme's,
# taken by the home facilitator (on its staff): the page correcting his details is for her and the
# home programme coordinator, everyone else gets 404. The actions are POST only.
POLICY.update({
    "programmes:participant_edit": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:own_request_record": row(405),
    "programmes:information_contact_record": row(405),
    "programmes:enrolment_transition": row(405),
    "programmes:enrolment_staff_assign": row(405),
    "programmes:enrolment_staff_end": row(405),
})

# Court and probation reports (programmes part "court-reports"). The walked report is the walked
# enrolment's start notice, drafted and signed off by the home programme coordinator: the list of
# reports to do, the report's page and its PDF are for the enrolment's staff (the home
# facilitator) and the home programme coordinator; everyone else (the outsider and the superuser
# included) gets 404. The actions are POST only.
POLICY.update({
    "programmes:court_report_list": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:court_report_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:court_report_pdf": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:court_report_generate": row(405),
    "programmes:court_report_edit": row(405),
    "programmes:court_report_sign": row(405),
    "programmes:court_report_send": row(405),
    "programmes:court_report_cancel": row(405),
})

# Pathways (programmes part "pathways"). The walked version (pathway_version_id) is the published
# pathway version of the walked enrolment, home programme: the list and the version's page are for
# the home facilitator (who reads the versions in use) and the programme coordinator; the new
# pathway page only for the coordinator. The walked draft (pathway_draft_id, version 2 of the same
# pathway) is edited by the home programme coordinator only (stage_code: its first stage);
# everyone else (the outsider and the superuser included) gets 404. Publishing, retiring,
# starting a new version and removing or moving a stage are POST only.
POLICY.update({
    "programmes:pathway_list": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_add": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_version_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_version_retire": row(405),
    "programmes:pathway_version_copy": row(405),
    "programmes:pathway_version_describe": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_stage_add": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_stage_edit": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_stage_remove": row(405),
    "programmes:pathway_stage_move": row(405),
    "programmes:pathway_version_rules": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_version_notifications": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:pathway_version_publish": row(405),
})

# Groups and sessions (part "groups-sessions"). The walked group belongs to the home programme,
# is facilitated by the home facilitator and has the walked enrolment among its men: the list,
# the group and its sessions are for the facilitator and the programme coordinator; a new group
# and the group's edit page for the programme coordinator only. The actions are POST only.
POLICY.update({
    "programmes:group_list": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:group_add": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:group_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:group_edit": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:group_facilitator_add": row(405),
    "programmes:group_facilitator_end": row(405),
    "programmes:group_member_add": row(405),
    "programmes:group_member_remove": row(405),
    "programmes:group_schedule_generate": row(405),
    "programmes:group_session_add": row(405),
    "programmes:session_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:session_cancel": row(405),
    "programmes:individual_session_add": row(405),
    "programmes:compliance_address": row(405),
})

# Outcome monitoring (issue 6, part "outcomes"). The man's answers: the walked enrolment's
# timepoint form (mid-way, not answered yet) and its intake answers are for his facilitator and
# the programme coordinator. The figures and their CSV: the home programme coordinator only. The
# partner's answers, on the partner-support side only: the walked partner-contact link's form and
# answers recorded on a link to the home service are for the home partner-support worker;
# everyone else (the programme's facilitator and coordinator included) gets 404.
POLICY.update({
    "programmes:outcome_record": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:outcome_response_detail": only(200, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR),
    "programmes:outcome_figures": only(200, Role.PROGRAMME_COORDINATOR),
    "programmes:outcome_figures_csv": only(200, Role.PROGRAMME_COORDINATOR),
    "network:partner_outcome_record": only(200, Role.PARTNER_SUPPORT_WORKER),
    "network:partner_outcome_detail": only(200, Role.PARTNER_SUPPORT_WORKER),
})

# Mutual learning, good practices (issue 7, part "practice-records"). The walked practice is a
# DRAFT of the home organisation, shared by its caseworker, with one file: every home role that
# shares practices (all but the data-protection officer) reads, edits, translates it (into
# Italian) and downloads its file; the DPO, the outsider and the superuser do not see a draft
# (404). The list is for every signed-in person (a superuser, member of no organisation, gets an
# empty list); a new practice for whoever shares practices somewhere (the outsider is the other
# organisation's admin). A practice she reads but may not change sends the edit and translation
# pages back to the practice with a message (302; tested in rete/learning/tests). Actions are
# POST only.
POLICY.update({
    "learning:practice_list": row(200),
    "learning:practice_add": row(200, dpo=DENIED, superuser=DENIED),
    "learning:practice_detail": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:practice_edit": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:practice_translate": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:practice_submit": row(405),
    "learning:practice_attachment_add": row(405),
    "learning:practice_attachment_download": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:practice_attachment_delete": row(405),
})

# Mutual learning, part "pilots". The walked pilot (pilot_id) is a RUNNING pilot of the home
# organisation of a practice the home organisation published, with one indicator
# (pilot_indicator_id): its list, page, edit, indicator and completion pages are for the members
# of the home organisation who record pilots (every role but the data-protection officer); the
# outsider (an organisation admin: she lists her own organisation's pilots), the superuser and the
# home DPO get 404 (a running pilot is seen outside the piloting
# organisation only by the practice owner's members and the network coordinators who decide on
# practices; a completed one by whoever sees the practice). The walked practice (practice_id) is a
# DRAFT: a draft is never piloted, so starting a pilot of it is 404 for everyone. The actions are
# POST only.
POLICY.update({
    "learning:pilot_list": row(200, dpo=DENIED, superuser=DENIED),
    "learning:pilot_start": row(DENIED),
    "learning:pilot_detail": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:pilot_edit": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:pilot_indicator_add": row(405),
    "learning:pilot_indicator_edit": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:pilot_indicator_remove": row(405),
    "learning:pilot_running": row(405),
    "learning:pilot_complete": row(200, dpo=DENIED, outsider=DENIED, superuser=DENIED),
    "learning:pilot_abandon": row(405),
})

# Mutual learning, part "events". THE walked event (training_event_id) is OPEN for registration,
# hosted by the home organisation and created by its trainer, with two sessions
# (event_session_id), one material (event_material_id) and one invitation link (invitation_id).
# Every member of the network sees an open event (its list, page and calendar file), the outsider
# too (a member of the other organisation); the superuser, a member of no organisation, gets 404.
# The home trainers and network coordinators run it: a new event, the edit and session pages, the
# invitation links and the materials (no one is registered in the walk, so nobody else downloads
# a material). The actions are POST only.
POLICY.update({
    "learning:event_list": row(200, superuser=DENIED),
    "learning:event_add": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_detail": row(200, superuser=DENIED),
    "learning:event_edit": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_status": row(405),
    "learning:event_ics": row(200, superuser=DENIED),
    "learning:event_session_add": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_session_edit": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_session_delete": row(405),
    "learning:event_material_add": row(405),
    "learning:event_material_download": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_material_delete": row(405),
    "learning:event_invitations": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_invitation_revoke": row(405),
})

# Mutual learning, part "registration". On THE walked event (OPEN, home organisation) the home
# caseworker is registered (registration_id) and an outside professional registered through a new
# invitation link (invitation_token; her personal link: participant_token). Every member of the
# network (the outsider too) opens the registration form of an open event (the caseworker sees her
# registration there); the superuser, a member of no organisation, gets 404. The participants'
# list and the attendance register (attendance_session_id: the walked event's first session) are
# for the home trainers and network coordinators; their CSV asks for the password again (302).
# "My training" is everyone's own (empty for most); a registration's page only its participant's.
# The public pages answer whoever has the token. The actions are POST only.
POLICY.update({
    "learning:event_register": row(200, superuser=DENIED),
    "learning:registration_cancel": row(405),
    "learning:participant_link_resend": row(405),
    "learning:event_participants": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:event_participants_csv": only(302, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:attendance_register": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:my_training": row(200),
    "learning:my_registration": only(200, Role.CASEWORKER),
    "learning_public:join": row(200, anonymous=200),
    "learning_public:participant_home": row(200, anonymous=200),
    "learning_public:participant_cancel": row(405, anonymous=405),
    "learning_public:participant_calendar": row(200, anonymous=200),
    # The walked event's materials are also for its registered participants: with the caseworker
    # registered by this part's provider, she downloads the walked material too (the row of part
    # "events" above was written while nobody was registered in the walk).
    "learning:event_material_download": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR, Role.CASEWORKER),
})

# Mutual learning, part "evaluation". THE walked event (training_event_id, OPEN, home organisation)
# has a knowledge test with one question (test_item_id): the test, a question's edit page and the
# evaluation results are for the home trainers and network coordinators who run it; removing a
# question is POST only. The home caseworker's registration (registration_id) is hers alone: her
# test before the training (test_phase "pre"), satisfaction and follow-up pages answer her (with an
# explanation while a questionnaire is not open) and nobody else. The public pages answer whoever
# has the outside participant's personal link (participant_token).
POLICY.update({
    "learning:test_items": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:test_item_edit": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:test_item_delete": row(405),
    "learning:event_results": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:my_test": only(200, Role.CASEWORKER),
    "learning:my_satisfaction": only(200, Role.CASEWORKER),
    "learning:my_follow_up": only(200, Role.CASEWORKER),
    "learning_public:participant_test": row(200, anonymous=200),
    "learning_public:participant_satisfaction": row(200, anonymous=200),
    "learning_public:participant_follow_up": row(200, anonymous=200),
})

# Mutual learning, part "practice-review" (the EIGE review). The queue is for the home reviewers
# (trainer, network coordinator); the grids for the home network coordinator only. The walked grid
# (grid_id) is an inactive copy of the grid in use that no practice was checked on, so its editor
# answers 200 (a grid in use sends the editor back to its page, tested in rete/learning/tests).
# THE walked practice (practice_id) is a DRAFT of the home organisation: nothing to review yet, and
# nobody takes a review step on her own organisation's practice, so its review page is 404 for
# everyone. The steps are POST only. The walked public practice (public_practice_id) was shared by
# the home caseworker with "also on the public portal", submitted, checked, reviewed twice,
# concluded promising, selected and published by the OTHER organisation's network coordinator and
# trainer through the services: the public pages answer 200 to everyone, signed in or not.
POLICY.update({
    "learning:review_queue": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:grid_list": only(200, Role.NETWORK_COORDINATOR),
    "learning:grid_detail": only(200, Role.NETWORK_COORDINATOR),
    "learning:grid_edit": only(200, Role.NETWORK_COORDINATOR),
    "learning:grid_copy": row(405),
    "learning:grid_activate": row(405),
    "learning:practice_check": row(405),
    "learning:practice_review": row(DENIED),
    "learning:practice_conclude": row(405),
    "learning:practice_select": row(405),
    "learning:practice_publish": row(405),
    "learning:practice_withdraw": row(405),
    "learning_public:practice_list": row(200, anonymous=200),
    "learning_public:practice_detail": row(200, anonymous=200),
})

# Mutual learning, part "certificates". The walk's registrations on THE walked event (OPEN, home
# organisation) carry a certificate, set by the provider as the services leave one: the home
# caseworker's (certificate_registration_id, also registration_id; its code certificate_code) and
# the outside professional's (participant_token). The PDF of a participant's certificate is for the
# home trainers and network coordinators who run the event; the caseworker downloads her own; the
# outside professional hers through her personal link (anyone holding it). The public check (the
# form, and the page of a valid code) answers everyone. The funders' report and its spreadsheet
# are for the trainers and network coordinators of the home organisation (the outsider and the
# superuser run no training: 404). Issuing and revoking are POST only.
POLICY.update({
    "learning:certificates_issue": row(405),
    "learning:certificate_issue": row(405),
    "learning:certificate_revoke": row(405),
    "learning:certificate_pdf": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:my_certificate": only(200, Role.CASEWORKER),
    "learning:training_report": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning:training_report_xlsx": only(200, Role.TRAINER, Role.NETWORK_COORDINATOR),
    "learning_public:certificate_verify": row(200, anonymous=200),
    "learning_public:certificate_check": row(200, anonymous=200),
    "learning_public:participant_certificate": row(200, anonymous=200),
})
