"""Certificate pages: the PDF for the runners, for her and through her personal link; issuing and
revoking from the event page; the sections; the public check, which reveals only her name, the
event's title and its dates."""
import io

import pytest
from django.conf import settings
from django.utils import formats, translation

from rete.conftest import assert_denied, url
from rete.core.models import AuditEvent
from rete.learning import tokens
from rete.learning.models import AttendanceStatus, Registration
from rete.learning.services import certificates as services
from rete.learning.tests.factories_certificates import held_event, participant

pytestmark = pytest.mark.django_db
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT


def pdf_text(content) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1  # a certificate is one page
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def issued(network):
    """A held event (4 sessions of 2 hours, in Milan) and Giulia, an outside professional writing
    in Italian, who attended 3 sessions and has her certificate; her personal link's token."""
    trainer = network["trainer"]
    event = held_event(trainer, network.home, sessions=4, title="Risk assessment across borders")
    giulia = participant(event, [P, L, P, A], by=trainer, full_name="Giulia Bianchi", email="giulia@private.example",
                         organisation_name="Centro Antiviolenza Aurora", country="BG", language="it")
    token, token_hash = tokens.new_token()
    Registration.objects.filter(pk=giulia.pk).update(access_token_hash=token_hash)
    giulia = services.certificate_issue(by=trainer, registration=giulia)
    return event, giulia, token


def _dates(event, language):
    with translation.override(language):
        return formats.date_format(event.starts_on, "DATE_FORMAT"), formats.date_format(event.ends_on, "DATE_FORMAT")


def test_the_runners_print_it_in_her_language(network, as_user, issued):
    event, giulia, _token = issued
    response = as_user(network["trainer"]).get(url("learning:certificate_pdf", training_event_id=event.pk,
                                                   certificate_registration_id=giulia.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert "Giulia Bianchi" in text and "Risk assessment across borders" in text
    assert giulia.certificate_code in text
    first, last = _dates(event, "it")
    assert first in text and last in text  # Italian month names: her language, not the trainer's
    assert "6" in text and "Milan" in text and "Home Support Centre" in text  # 3 sessions × 2 hours
    assert settings.RETE_BASE_URL.rstrip("/") + f"/it/certificates/verify/{giulia.certificate_code}/" in text.replace(" ", "")
    audit = AuditEvent.objects.get(action="learning.certificate.printed")
    assert audit.detail["via"] == "runner" and audit.detail["language"] == "it"


def test_the_qr_code_is_inline(issued):
    from rete.learning.selectors.certificates import certificate_document

    _event, giulia, _token = issued
    document = certificate_document(registration=giulia)
    assert document["qr"].startswith("<svg") and "http" not in document["qr"].split("<title>")[0]
    assert document["hours"] == 6 and document["session_count"] == 3


def test_she_downloads_it_through_her_personal_link(client, issued):
    event, giulia, token = issued
    response = client.get(url("learning_public:participant_certificate", participant_token=token))
    assert response.status_code == 200
    assert "Giulia Bianchi" in pdf_text(response.content)
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.get(action="learning.certificate.printed").detail["via"] == "personal_link"
    assert_denied(client.get(url("learning_public:participant_certificate", participant_token="not-a-token")))


def test_a_member_downloads_her_own(network, as_user):
    trainer, member = network["trainer"], network["other_caseworker"]
    event = held_event(trainer, network.home, sessions=2)
    registration = participant(event, [P, P], by=trainer, user=member, language="en")
    assert_denied(as_user(member).get(url("learning:my_certificate", registration_id=registration.pk)))  # none yet
    services.certificates_issue(by=trainer, event=event)
    response = as_user(member).get(url("learning:my_certificate", registration_id=registration.pk))
    assert response.status_code == 200
    first, _last = _dates(event, "en")
    assert first in pdf_text(response.content)
    for someone_else in (network["caseworker"], trainer, network.superuser):
        assert_denied(as_user(someone_else).get(url("learning:my_certificate", registration_id=registration.pk)))


def test_it_checks_ownership(network, as_user, issued):
    event, giulia, _token = issued
    path = url("learning:certificate_pdf", training_event_id=event.pk, certificate_registration_id=giulia.pk)
    for outsider in (network["other_trainer"], network["other_network_coordinator"], network["caseworker"],
                     network.outsider, network.superuser):
        assert_denied(as_user(outsider).get(path))
    assert as_user(None).get(path).status_code == 302
    # A registration of another event under this event's address.
    other = held_event(network["trainer"], network.home, sessions=1)
    stranger = participant(other, [P], by=network["trainer"])
    services.certificates_issue(by=network["trainer"], event=other)
    assert_denied(as_user(network["trainer"]).get(url("learning:certificate_pdf", training_event_id=event.pk,
                                                      certificate_registration_id=stranger.pk)))
    # Revoked: no document any more.
    services.certificate_revoke(by=network["trainer"], registration=giulia, reason="issued_in_error")
    assert_denied(as_user(network["trainer"]).get(path))
    for name, kwargs in (("learning:certificates_issue", {"training_event_id": event.pk}),
                         ("learning:certificate_issue", {"training_event_id": event.pk, "certificate_registration_id": giulia.pk}),
                         ("learning:certificate_revoke", {"training_event_id": event.pk, "certificate_registration_id": giulia.pk})):
        assert_denied(as_user(network["other_trainer"]).post(url(name, **kwargs), {"reason": "issued_in_error"}))
        assert as_user(network["trainer"]).get(url(name, **kwargs)).status_code == 405


def test_issuing_and_revoking_from_the_event_page(network, as_user):
    trainer = network["trainer"]
    event = held_event(trainer, network.home, sessions=2)
    anna = participant(event, [P, P], by=trainer, full_name="Anna Uno")
    bea = participant(event, [P, A], by=trainer, full_name="Bea Due")
    client = as_user(trainer)
    page = client.get(url("learning:event_detail", training_event_id=event.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="certificates"' in html and url("learning:certificates_issue", training_event_id=event.pk) in html
    response = client.post(url("learning:certificates_issue", training_event_id=event.pk), follow=True)
    assert response.redirect_chain[0][0].endswith(f"/learning/events/{event.pk}/#certificates")
    anna.refresh_from_db()
    bea.refresh_from_db()
    assert anna.certificate_code and not bea.certificate_code
    assert anna.certificate_code in response.content.decode()
    # Bea cannot have one: refused with a message, nothing changes.
    response = client.post(url("learning:certificate_issue", training_event_id=event.pk, certificate_registration_id=bea.pk),
                           follow=True)
    assert "did not attend enough" in response.content.decode()
    bea.refresh_from_db()
    assert not bea.certificate_code
    # Revoking needs a reason.
    path = url("learning:certificate_revoke", training_event_id=event.pk, certificate_registration_id=anna.pk)
    response = client.post(path, {"reason": ""}, follow=True)
    assert "Choose why the certificate is revoked." in response.content.decode()
    anna.refresh_from_db()
    assert anna.certificate_code
    client.post(path, {"reason": "attendance_corrected"})
    anna.refresh_from_db()
    assert anna.certificate_code is None


def test_the_event_section_is_for_the_runners_only(network, as_user, issued):
    event, _giulia, _token = issued
    html = as_user(network["other_caseworker"]).get(url("learning:event_detail", training_event_id=event.pk)).content.decode()
    assert 'id="certificates"' not in html and "Giulia" not in html


def test_the_event_section_queries_are_bounded(network, as_user, django_assert_max_num_queries):
    from django.test import RequestFactory

    from rete.learning.views.certificates import _event_section

    trainer = network["trainer"]
    for size in (1, 10):
        event = held_event(trainer, network.home, sessions=3)
        for number in range(size):
            participant(event, [P, P, P], by=trainer, full_name=f"Person {number}", email=f"p{number}@outside.example")
        services.certificates_issue(by=trainer, event=event)
        request = RequestFactory().get("/")
        request.user = trainer
        from django.template.loader import render_to_string

        with django_assert_max_num_queries(3):  # her memberships (once per request), the sessions, the participants
            context = _event_section(request, event)
            html = render_to_string("learning/certificates_event_section.html", {**context, "object": event}, request=request)
        assert html.count("/revoke/") == size


def test_the_participant_section_says_what_is_missing(network, as_user, issued):
    event, giulia, token = issued
    trainer = network["trainer"]
    html = as_user(None).get(url("learning_public:participant_home", participant_token=token)).content.decode()
    assert url("learning_public:participant_certificate", participant_token=token) in html
    # A member who attended too little.
    member = network["caseworker"]
    registration = participant(event, [P, A, A, A], by=trainer, user=member)
    html = as_user(member).get(url("learning:my_registration", registration_id=registration.pk)).content.decode()
    assert 'id="certificate"' in html and "25%" in html and "75%" in html
    assert url("learning:my_certificate", registration_id=registration.pk) not in html


# ---- the public check ---------------------------------------------------------------------------


def test_the_check_shows_only_her_name_the_event_and_its_dates(client, issued, django_assert_max_num_queries):
    event, giulia, _token = issued
    path = url("learning_public:certificate_check", certificate_code=giulia.certificate_code)
    with django_assert_max_num_queries(12):  # the code, the audit event, the portal's anonymous page counter
        response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giulia Bianchi" in html and "Risk assessment across borders" in html
    first, last = _dates(event, "en")
    assert first in html and last in html
    for hidden in ("giulia@private.example", "Centro Antiviolenza Aurora", "Bulgaria", "Home Support Centre", "Milan"):
        assert hidden not in html, hidden
    # Her attendance share neither: looked for in the page's main part, less the (random) code,
    # which may itself hold the digits "75".
    main = html[html.index("<main"):html.index("</main>")].replace(giulia.certificate_code, "")
    assert "75" not in main and "%" not in main
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    assert not response.cookies
    assert AuditEvent.objects.filter(action="learning.certificate.checked").get().detail == {"registration": giulia.pk}


def test_the_check_forgives_case_spaces_and_dashes(client, issued):
    _event, giulia, _token = issued
    typed = giulia.certificate_code.lower().replace("-", " ")
    response = client.get(url("learning_public:certificate_verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == url("learning_public:certificate_check", certificate_code=giulia.certificate_code)
    response = client.get(url("learning_public:certificate_check", certificate_code=typed.replace(" ", "")))
    assert response.status_code == 200 and "Giulia Bianchi" in response.content.decode()


def test_an_unknown_or_revoked_code_is_not_valid(network, client, issued):
    _event, giulia, _token = issued
    unknown = client.get(url("learning_public:certificate_check", certificate_code="RETE-2345-6789-ABCD"))
    assert unknown.status_code == 404
    assert "No valid certificate with this code" in unknown.content.decode()
    malformed = client.get(url("learning_public:certificate_check", certificate_code="hello"))
    assert malformed.status_code == 404
    code = giulia.certificate_code
    services.certificate_revoke(by=network["trainer"], registration=giulia, reason="issued_in_error")
    revoked = client.get(url("learning_public:certificate_check", certificate_code=code))
    assert revoked.status_code == 404
    assert "Giulia" not in revoked.content.decode()
    assert revoked.content.decode() == unknown.content.decode().replace("RETE-2345-6789-ABCD", code)


def test_the_form_keeps_what_was_typed(client):
    page = client.get(url("learning_public:certificate_verify"))
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    response = client.get(url("learning_public:certificate_verify"), {"code": "RETE-0O0O"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="RETE-0O0O"' in html and 'aria-invalid="true"' in html
    assert client.post(url("learning_public:certificate_verify"), {"code": "x"}).status_code == 405
