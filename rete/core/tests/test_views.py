import pytest
from django.utils import translation

from rete.conftest import url, assert_denied, client_for, make_user, reauthenticated
from rete.core import audit
from rete.core.models import AuditEvent, Membership, Role, User



@pytest.fixture
def admin_client(network):
    return reauthenticated(client_for(network[Role.ORG_ADMIN]), network[Role.ORG_ADMIN])


# ---- start page per role -----------------------------------------------------------------


@pytest.mark.django_db
def test_start_page_shows_each_role_what_it_works_on(network):
    page = client_for(network[Role.ORG_ADMIN]).get(url("core:start")).content.decode()
    assert "Members of Home" in page and "Manage members" in page
    page = client_for(network[Role.DPO]).get(url("core:start")).content.decode()
    assert "Audit trail" in page and "Read the audit trail" in page
    page = client_for(network[Role.CASEWORKER]).get(url("core:start")).content.decode()
    assert "Home Support Centre" in page and "Caseworker" in page
    assert "Manage members" not in page and "Read the audit trail" not in page


@pytest.mark.django_db
def test_start_page_queries_do_not_grow_with_members_or_events(network, django_assert_max_num_queries):
    admin_dpo = make_user("both@home.example", roles=[Role.ORG_ADMIN, Role.DPO], organisation=network.home)
    client = client_for(admin_dpo)
    client.get(url("core:start"))
    for i in range(30):
        make_user(f"extra{i}@home.example", roles=[Role.CASEWORKER], organisation=network.home)
        audit.record(action="x", organisation=network.home)
    with django_assert_max_num_queries(20):
        assert client.get(url("core:start")).status_code == 200


# ---- organisation admin ------------------------------------------------------------------


@pytest.mark.django_db
def test_member_list_is_bounded_and_searchable(network, admin_client, django_assert_max_num_queries):
    for i in range(40):
        make_user(f"bulk{i}@home.example", roles=[Role.CASEWORKER, Role.TRAINER], organisation=network.home)
    with django_assert_max_num_queries(15):
        response = admin_client.get(url("core:member_list", org="home"))
    assert response.status_code == 200
    response = admin_client.get(url("core:member_list", org="home") + "?q=bulk7")
    assert "bulk7@home.example" in response.content.decode() and "bulk8@" not in response.content.decode()


@pytest.mark.django_db
def test_it_checks_ownership(network):
    """Another organisation's admin, or a member without the role, gets the same 404 as for a
    record that does not exist."""
    member = network[Role.CASEWORKER]
    for intruder in (network.outsider, network[Role.SUPERVISOR]):
        client = reauthenticated(client_for(intruder), intruder)
        assert_denied(client.get(url("core:member_list", org="home")))
        assert_denied(client.get(url("core:member_edit", org="home", member_id=member.pk)))
        assert_denied(client.post(url("core:member_remove", org="home", member_id=member.pk)))
        assert_denied(client.post(url("core:member_invite", org="home"), {"email": "x@x.example"}))
    admin = reauthenticated(client_for(network[Role.ORG_ADMIN]), network[Role.ORG_ADMIN])
    assert_denied(admin.get(url("core:member_edit", org="home", member_id=network["other_caseworker"].pk)))
    assert_denied(admin.get(url("core:member_list", org="no-such-org")))
    assert Membership.objects.filter(user=member, ended_at__isnull=True).exists()


@pytest.mark.django_db
def test_invite_with_errors_keeps_everything_typed(network, admin_client):
    data = {"email": "not-an-address", "first_name": "Irene", "last_name": "Markou", "language": "el", "roles": []}
    response = admin_client.post(url("core:member_invite", org="home"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Irene"' in page and 'value="Markou"' in page and 'value="not-an-address"' in page
    assert "Choose at least one role." in page and "Enter a valid email address." in page


@pytest.mark.django_db
def test_invite_errors_are_translated(network, admin_client):
    response = admin_client.post(url("core:member_invite", lang="it", org="home"), {"email": "", "roles": []})
    assert response.status_code == 400
    assert "Scegli almeno un ruolo." in response.content.decode()


@pytest.mark.django_db
def test_invite_adds_the_member(network, admin_client):
    response = admin_client.post(
        url("core:member_invite", org="home"),
        {"email": "irene@home.example", "first_name": "Irene", "last_name": "Markou", "language": "el", "roles": [Role.CASEWORKER]},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="irene@home.example", organisation=network.home).exists()


@pytest.mark.django_db
def test_invite_asks_for_the_password_again(network):
    client = client_for(network[Role.ORG_ADMIN])
    response = client.post(url("core:member_invite", org="home"), {"email": "late@home.example"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not User.objects.filter(email="late@home.example").exists()


@pytest.mark.django_db
def test_stale_edit_is_refused_with_both_versions_shown(network, admin_client):
    member = network[Role.CASEWORKER]
    edit_url = url("core:member_edit", org="home", member_id=member.pk)
    base = {"version": member.version, "last_name": "Rossi", "phone": "", "language": "en", "roles": [Role.CASEWORKER]}
    assert admin_client.post(edit_url, {**base, "first_name": "Saved-First"}).status_code == 302
    response = admin_client.post(edit_url, {**base, "first_name": "Mine-Second"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record" in page
    assert "Saved-First" in page and "Mine-Second" in page
    assert User.objects.get(pk=member.pk).first_name == "Saved-First"
    # Saving again from the conflict page keeps her entries, knowingly.
    fresh_version = User.objects.get(pk=member.pk).version
    assert f'value="{fresh_version}"' in page
    assert admin_client.post(edit_url, {**base, "version": fresh_version, "first_name": "Mine-Second"}).status_code == 302
    assert User.objects.get(pk=member.pk).first_name == "Mine-Second"


@pytest.mark.django_db
def test_viewing_a_member_is_audited(network, admin_client):
    member = network[Role.CASEWORKER]
    admin_client.get(url("core:member_edit", org="home", member_id=member.pk))
    event = AuditEvent.objects.get(action="member.viewed")
    assert event.object_id == str(member.pk) and event.actor == network[Role.ORG_ADMIN]


@pytest.mark.django_db
def test_remove_member(network, admin_client):
    member = network[Role.CASEWORKER]
    response = admin_client.post(url("core:member_remove", org="home", member_id=member.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member, ended_at__isnull=True).exists()


# ---- own preferences ---------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_change_language_and_time_zone(network):
    user = network[Role.CASEWORKER]
    client = client_for(user)
    response = client.post(url("core:preferences"), {"version": user.version, "language": "cs", "time_zone": "Europe/Prague", "phone": "+420 1"})
    assert response.status_code == 302 and response["Location"].startswith("/cs/")
    user.refresh_from_db()
    assert (user.language, user.time_zone, user.phone) == ("cs", "Europe/Prague", "+420 1")


@pytest.mark.django_db
def test_preferences_refuse_an_unknown_time_zone_and_keep_the_rest(network):
    user = network[Role.CASEWORKER]
    response = client_for(user).post(url("core:preferences"), {"version": user.version, "language": "cs", "time_zone": "Mars/Olympus", "phone": "+420 9"})
    assert response.status_code == 400
    assert 'value="+420 9"' in response.content.decode()


# ---- audit trail -------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_list_filters_and_is_bounded(network, django_assert_max_num_queries):
    for i in range(60):
        audit.record(action="member.viewed" if i % 2 else "member.updated", organisation=network.home, actor=network[Role.ORG_ADMIN])
    client = client_for(network[Role.DPO])
    with django_assert_max_num_queries(20):
        response = client.get(url("core:audit_list") + "?action=member.updated")
    assert response.status_code == 200
    page = response.content.decode()
    assert "member.updated" in page
    assert AuditEvent.objects.filter(action="audit.viewed", actor=network[Role.DPO]).exists()


@pytest.mark.django_db
def test_audit_list_rejects_a_reversed_date_range_clearly(network):
    response = client_for(network[Role.DPO]).get(url("core:audit_list") + "?since=2026-05-02&until=2026-05-01")
    assert response.status_code == 400 and "The start date is after the end date." in response.content.decode()


@pytest.mark.django_db
def test_dpo_cannot_read_another_organisations_event(network):
    event = audit.record(action="x", organisation=network.other)
    assert_denied(client_for(network[Role.DPO]).get(url("core:audit_detail", seq=event.seq)))
    assert client_for(network["other_dpo"]).get(url("core:audit_detail", seq=event.seq)).status_code == 200


@pytest.mark.django_db
def test_verify_button_reports_intact(network):
    audit.record(action="x", organisation=network.home)
    response = client_for(network[Role.DPO]).post(url("core:audit_verify"), follow=True)
    assert "The audit trail is intact" in response.content.decode()


@pytest.mark.django_db
def test_export_asks_for_password_then_is_audited(network):
    dpo = network[Role.DPO]
    audit.record(action="x", organisation=network.home)
    response = client_for(dpo).get(url("core:audit_export"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    response = reauthenticated(client_for(dpo), dpo).get(url("core:audit_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response).decode()
    assert f"Exported by {dpo.email}" in body
    assert AuditEvent.objects.filter(action="audit.exported", actor=dpo).exists()


# ---- language, errors, headers -----------------------------------------------------------


@pytest.mark.django_db
def test_language_switch_follows_the_url_and_is_remembered(network):
    user = network[Role.CASEWORKER]
    client = client_for(user)
    page = client.get(url("core:start", lang="bg")).content.decode()
    assert 'lang="bg"' in page and "Начало" in page
    user.refresh_from_db()
    assert user.language == "bg"
    for code in ("en", "it", "el", "cs", "bg"):
        assert f'hreflang="{code}"' in page


@pytest.mark.django_db
def test_unknown_language_code_is_a_translated_404(client):
    response = client.get("/xx/start/")
    assert response.status_code == 404
    response = client.get("/it/non-esiste/")
    assert response.status_code == 404 and "Pagina non trovata" in response.content.decode()


@pytest.mark.django_db
def test_error_pages_exist_in_every_language(client):
    for code, phrase in (("en", "Page not found"), ("it", "Pagina non trovata"), ("el", "Η σελίδα δεν βρέθηκε"),
                         ("cs", "Stránka nenalezena"), ("bg", "Страницата не е намерена")):
        response = client.get(f"/{code}/nowhere/")
        assert response.status_code == 404 and phrase in response.content.decode(), code


@pytest.mark.django_db
def test_server_error_page_is_translated_and_plain(client, settings):
    from django.template.loader import render_to_string

    with translation.override("cs"):
        html = render_to_string("500.html")
    assert "Něco se pokazilo" in html


@pytest.mark.django_db
def test_security_headers_on_staff_pages(network):
    response = client_for(network[Role.CASEWORKER]).get(url("core:start"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_public_pages_set_no_cookie_and_leave_no_trace(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    assert 'id="quick-exit"' in page and 'href="/exit/"' in page and "112" in page


@pytest.mark.django_db
def test_hsts_and_secure_cookies_when_served_over_https(network, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_SSL_REDIRECT = False
    response = client_for(network[Role.CASEWORKER]).get(url("core:start"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")


@pytest.mark.django_db
def test_quick_exit_ends_the_session_and_leaves(network, settings):
    client = client_for(network[Role.CASEWORKER])
    response = client.get("/exit/")
    assert response.status_code == 302 and response["Location"] == settings.RETE_QUICK_EXIT_URL
    assert "cookies" in response["Clear-Site-Data"]
    assert client.get(url("core:start")).status_code == 302  # signed out


@pytest.mark.django_db
def test_tampered_csrf_token_gets_a_clear_page(network):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(network[Role.CASEWORKER], backend="django.contrib.auth.backends.ModelBackend")
    client.get(url("core:preferences"))
    response = client.post(url("core:preferences", lang="el"), {"csrfmiddlewaretoken": "forged", "language": "el"})
    assert response.status_code == 403
    assert "Back" in response.content.decode() or "Πίσω" in response.content.decode()


@pytest.mark.django_db
def test_start_page_says_whom_to_ask(network):
    page = client_for(network[Role.CASEWORKER]).get(url("core:start")).content.decode()
    assert "Whom to ask" in page
    for role in (Role.SUPERVISOR, Role.ORG_ADMIN, Role.DPO):
        assert network[role].email in page
    assert network["other_supervisor"].email not in page
