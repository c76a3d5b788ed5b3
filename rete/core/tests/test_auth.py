import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.sessions.models import Session
from django.test import Client

from rete.conftest import url, PASSWORD, TOTP_SECRET, make_user
from rete.core.models import AuditEvent, Role, User



def current_code(offset=0):
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + offset))


def sign_in(client, email, password=PASSWORD, ip="198.51.100.1", lang="en"):
    return client.post(url("account_login", lang), {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def worker(db):
    from rete.conftest import make_organisation

    home = make_organisation("home")
    return make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)


@pytest.mark.django_db
def test_password_then_totp_signs_in_and_is_audited(worker):
    client = Client()
    response = sign_in(client, worker.email)
    assert response.status_code == 302 and response["Location"] == url("mfa_authenticate")
    response = client.post(url("mfa_authenticate"), {"code": current_code()}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 302
    assert client.get(url("core:start")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.signed_in", actor=worker).exists()


@pytest.mark.django_db
def test_sign_in_lands_in_the_persons_language(worker):
    User.objects.filter(pk=worker.pk).update(language="cs")
    client = Client()
    sign_in(client, worker.email)
    response = client.post(url("mfa_authenticate"), {"code": current_code()})
    assert response["Location"].startswith("/cs/")


@pytest.mark.django_db
def test_wrong_password_gets_a_translated_message_and_keeps_the_address(worker):
    response = sign_in(Client(), worker.email, password="wrong", lang="it")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{worker.email}"' in page
    assert "non sono corretti" in page  # allauth's own Italian catalogue
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.object_id == str(worker.pk) and "wrong" not in str(event.detail)


@pytest.mark.django_db
def test_wrong_and_reused_totp_codes_are_refused(worker):
    client = Client()
    sign_in(client, worker.email)
    response = client.post(url("mfa_authenticate"), {"code": "000000" if current_code() != "000000" else "111111"})
    assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    code = current_code()
    assert client.post(url("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(url("account_logout"))
    second = Client()
    sign_in(second, worker.email)
    response = second.post(url("mfa_authenticate"), {"code": code})
    assert response.status_code == 200, "a code must not work twice"
    assert second.get(url("core:start")).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_username_and_ip(worker, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, worker.email, password="guess", ip="203.0.113.9")
    response = sign_in(attacker, worker.email, password=PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page and "Reset my password" in page
    assert AuditEvent.objects.filter(action="auth.locked_out", object_id=str(worker.pk)).exists()
    # The worker herself, from her own connection, is not locked out by the attacker.
    response = sign_in(Client(), worker.email, ip="198.51.100.1")
    assert response.status_code == 302 and response["Location"] == url("mfa_authenticate")


@pytest.mark.django_db
def test_first_sign_in_without_second_factor_forces_enrolment(db):
    from rete.conftest import make_organisation

    person = make_user("new@home.example", roles=[Role.CASEWORKER], organisation=make_organisation("home"), mfa=False)
    client = Client()
    response = sign_in(client, person.email)
    assert response.status_code == 302
    response = client.get(url("core:start"))
    assert response.status_code == 302 and response["Location"] == url("mfa_activate_totp")
    assert client.get(url("mfa_activate_totp")).status_code == 200
    # The API is closed too until she has enrolled.
    assert client.get("/api/v1/me/").status_code == 403


@pytest.mark.django_db
def test_demo_setting_relaxes_enrolment_and_shows_the_banner(db, settings):
    from rete.conftest import make_organisation

    settings.RETE_DEMO = True
    person = make_user("demo@home.example", roles=[Role.CASEWORKER], organisation=make_organisation("home"), mfa=False)
    client = Client()
    sign_in(client, person.email)
    response = client.get(url("core:start"))
    assert response.status_code == 200 and "Demonstration system" in response.content.decode()


@pytest.mark.django_db
def test_idle_session_ends_and_the_form_is_kept_for_the_same_person(worker):
    client = Client()
    sign_in(client, worker.email)
    client.post(url("mfa_authenticate"), {"code": current_code()})
    assert client.get(url("core:preferences")).status_code == 200
    page = client.get(url("core:start")).content.decode()
    assert 'data-idle-seconds="1800"' in page and "Stay signed in" in page
    Session.objects.all().delete()  # as if the idle time had passed
    form = {"version": worker.version, "language": "it", "time_zone": "Europe/Rome", "phone": "+39 333 000"}
    response = client.post(url("core:preferences"), form)
    assert response.status_code == 302 and response["Location"].startswith(url("account_login"))
    resume = response["Location"].split("next=")[1]
    assert not User.objects.get(pk=worker.pk).phone  # nothing saved yet
    sign_in(client, worker.email)
    client.post(url("mfa_authenticate"), {"code": current_code(offset=1)})
    page = client.get(resume).content.decode()
    assert 'name="phone" value="+39 333 000"' in page and f'action="{url("core:preferences")}"' in page
    response = client.post(url("core:preferences"), form)
    assert response.status_code == 302
    assert User.objects.get(pk=worker.pk).phone == "+39 333 000"


@pytest.mark.django_db
def test_a_stash_is_not_shown_to_someone_else(worker):
    from rete.core.middleware import STASH_KEY

    other = make_user("other@home.example")
    client = Client()
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    from rete.core import crypto

    session[STASH_KEY] = {"token": "t", "path": "/en/account/preferences/", "user": worker.pk, "data": crypto.encrypt("[]"), "had_files": False}
    session.save()
    response = client.get(url("core:resume", token="t"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_keepalive_answers_the_remaining_time(worker):
    client = Client()
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(url("core:keepalive"))
    assert response.status_code == 200 and response.json()["seconds"] == 1800


@pytest.mark.django_db
def test_self_signup_is_closed(client):
    response = client.post(url("account_signup"), {"email": "x@x.example", "password1": "a-long-password-1", "password2": "a-long-password-1"})
    assert not User.objects.filter(email="x@x.example").exists()
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_the_second_factor(db):
    make_user("root@rete.example", is_superuser=True, is_staff=True)
    client = Client()
    response = client.post("/admin/login/", {"username": "root@rete.example", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_forwarded_for_is_ignored_unless_behind_our_proxy(worker, settings):
    from rete.core.middleware import client_ip
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 192.0.2.1")
    assert client_ip(request) == "198.51.100.1"
    settings.RETE_BEHIND_PROXY, settings.RETE_PROXY_COUNT = True, 1
    assert client_ip(request) == "192.0.2.1"  # what our proxy saw; the left entry is the client's claim
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == "10.0.0.1"


@pytest.mark.django_db
def test_a_dpo_sees_failed_sign_ins_against_her_members(worker):
    from rete.core import selectors
    from rete.core.models import Membership

    dpo = make_user("dpo@home.example", roles=[Role.DPO], organisation=Membership.objects.get(user=worker).organisation)
    sign_in(Client(), worker.email, password="wrong")
    sign_in(Client(), "stranger@nowhere.example", password="wrong")
    failed = selectors.audit_event_list(user=dpo, action="auth.sign_in_failed")
    assert [e.object_id for e in failed] == [str(worker.pk)]


@pytest.mark.django_db
def test_password_change_is_audited(worker):
    client = Client()
    sign_in(client, worker.email)
    client.post(url("mfa_authenticate"), {"code": current_code()})
    response = client.post(url("account_change_password"), {"oldpassword": PASSWORD, "password1": "a new long passphrase 42", "password2": "a new long passphrase 42"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=worker).exists()


@pytest.mark.django_db
def test_a_background_request_after_the_session_ended_is_not_kept(worker):
    from rete.core.middleware import STASH_KEY

    client = Client()
    sign_in(client, worker.email)
    client.post(url("mfa_authenticate"), {"code": current_code()})
    assert client.get(url("core:start")).status_code == 200
    Session.objects.all().delete()
    response = client.post(url("core:preferences"), {"language": "it"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 302 and "next=" in response["Location"]
    assert STASH_KEY not in client.session
