import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from rete.cases import documents, services
from rete.cases.models import Attachment, CaseActivity
from rete.cases.tests.helpers import open_case
from rete.conftest import Network, assert_denied, client_for, url
from rete.core import crypto
from rete.core.models import AuditEvent, Role

SENTINEL = "Brackenfold-31c7"
PDF = b"%PDF-1.7\n" + SENTINEL.encode() + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home)


def _upload(client, case, name, data, description="", content_type="application/octet-stream"):
    return client.post(url("cases:attachment_add", pk=case.pk),
                       {"description": description, "file": SimpleUploadedFile(name, data, content_type=content_type)})


# ---- upload, page, download ----------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_list_and_download_a_pdf(network, case):
    client = client_for(network[Role.CASEWORKER])
    assert client.get(url("cases:attachment_add", pk=case.pk)).status_code == 200
    # The browser's claim (text/html) is ignored: the type is the one we find.
    response = _upload(client, case, "certificato medico.pdf", PDF, description="Medical certificate " + SENTINEL, content_type="text/html")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.filename == "certificato medico.pdf" and attachment.uploaded_by == network[Role.CASEWORKER]
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "certificato medico.pdf" in page and "Medical certificate " + SENTINEL in page
    assert url("cases:attachment_download", pk=case.pk, attachment_id=attachment.pk) in page
    assert "Document added" in page
    download = client.get(url("cases:attachment_download", pk=case.pk, attachment_id=attachment.pk))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == "attachment; filename=\"certificato medico.pdf\"; filename*=UTF-8''certificato%20medico.pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(action="case.document_downloaded", detail__attachment=attachment.pk).count() == 1
    added = AuditEvent.objects.get(action="case.document_added")
    assert added.detail == {"attachment": attachment.pk, "content_type": "application/pdf", "size": len(PDF)}
    assert SENTINEL not in str([e.detail for e in AuditEvent.objects.all()])
    assert "certificato" not in str([e.detail for e in AuditEvent.objects.all()])


@pytest.mark.django_db
def test_only_pdf_and_images_keep_their_type_and_names_get_a_safe_fallback(network, case):
    client = client_for(network[Role.CASEWORKER])
    cases = [("Zpráva – policie.txt", "Ahoj, tady je zpráva.\n".encode(), "application/octet-stream"),
             ("photo.JPG", JPEG, "image/jpeg"), ("bruise.png", PNG, "image/png"),
             ("letter.docx", DOCX, "application/octet-stream"), ("letter.odt", ODT, "application/octet-stream")]
    for name, data, served in cases:
        assert _upload(client, case, name, data).status_code == 302, name
        attachment = Attachment.objects.defer("content").latest("pk")
        response = client.get(url("cases:attachment_download", pk=case.pk, attachment_id=attachment.pk))
        assert response.content == data and response["Content-Type"] == served, name
        assert response["Content-Disposition"].startswith("attachment; ")
    text = next(a for a in Attachment.objects.defer("content") if a.filename == "Zpráva – policie.txt")
    assert text.content_type == "text/plain; charset=utf-8"
    response = client.get(url("cases:attachment_download", pk=case.pk, attachment_id=text.pk))
    disposition = response["Content-Disposition"]
    assert disposition.encode("latin-1")  # the header itself is plain ASCII
    assert 'filename="Zprava _ policie.txt"' in disposition
    assert "filename*=UTF-8''Zpr%C3%A1va%20%E2%80%93%20policie.txt" in disposition


@pytest.mark.parametrize("name,data", [
    ("run.exe", b"MZ\x90\x00" + b"\x00" * 20),
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("fake.pdf", PNG),
    ("fake.png", PDF),
    ("fake.jpg", b"GIF89a"),
    ("page.txt", b"<!DOCTYPE html><html><body>hi</body></html>"),
    ("binary.txt", b"\x00\x01\x02\x03"),
    ("latin1.txt", "café".encode("latin-1")),
    ("fake.docx", _zip({"hello.txt": "hi"})),
    ("odt-as-docx.docx", ODT),
    ("fake.odt", b"PK\x03\x04 not really a zip"),
    ("noextension", PDF),
    ("empty.pdf", b""),
])
@pytest.mark.django_db
def test_refused_files_get_a_400_with_the_description_kept(network, case, name, data):
    client = client_for(network[Role.CASEWORKER])
    response = _upload(client, case, name, data, description="keep-my-description", content_type="application/pdf")
    assert response.status_code == 400
    body = response.content.decode()
    assert "keep-my-description" in body
    assert "message" in body or "errorlist" in body
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_a_400(network, case):
    response = client_for(network[Role.CASEWORKER]).post(url("cases:attachment_add", pk=case.pk), {"description": "no file"})
    assert response.status_code == 400 and "no file" in response.content.decode()


# ---- size limits -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_too_large_files_are_refused_with_a_message_not_an_error(network, case, settings):
    settings.RETE_ATTACHMENT_MAX_BYTES = 2000
    client = client_for(network[Role.CASEWORKER])
    assert _upload(client, case, "small.pdf", b"%PDF-" + b"x" * 1990).status_code == 302
    response = _upload(client, case, "big.pdf", b"%PDF-" + b"x" * 5000, description="keep-big-description")
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is too large: the limit is 2.0 KB." in body and "keep-big-description" in body
    # Far beyond the limit: refused before the body is read, with a page, not a server error.
    response = _upload(client, case, "huge.pdf", b"%PDF-" + b"x" * (2 * 1024 * 1024), description="x")
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert Attachment.objects.count() == 1


@pytest.mark.django_db
def test_the_default_limit_beats_djangos_memory_limits(network, case, settings):
    """A file larger than Django's in-memory limits (2.5 MB) but within ours is accepted; one a
    little beyond ours gets a 400, one far beyond a 413: never a 500."""
    assert settings.RETE_ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    assert settings.RETE_ATTACHMENT_MAX_BYTES > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    client = client_for(network[Role.CASEWORKER])
    big = b"%PDF-" + b"a" * (3 * 1024 * 1024)
    assert _upload(client, case, "three-mb.pdf", big).status_code == 302
    assert Attachment.objects.get().size == len(big)
    assert _upload(client, case, "over.pdf", b"%PDF-" + b"a" * (10 * 1024 * 1024 + 100), description="kept").status_code == 400
    assert _upload(client, case, "far-over.pdf", b"%PDF-" + b"a" * (12 * 1024 * 1024)).status_code == 413
    assert Attachment.objects.count() == 1


@pytest.mark.django_db
def test_the_upload_is_still_protected_against_cross_site_requests(network, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network[Role.CASEWORKER], backend="django.contrib.auth.backends.ModelBackend")
    response = _upload(client, case, "a.pdf", PDF)
    assert response.status_code == 403 and not Attachment.objects.exists()


# ---- removal -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_removing_wipes_the_content_and_keeps_the_entry(network, case):
    worker = network[Role.CASEWORKER]
    attachment = services.attachment_add(by=worker, case=case, filename="photo.png", data=PNG, description="injuries")
    client = client_for(worker)
    remove = url("cases:attachment_remove", pk=case.pk, attachment_id=attachment.pk)
    assert client.get(remove).status_code == 405
    assert client.post(remove, {"reason": ""}).status_code == 400
    response = client.post(remove, {"reason": "Uploaded to the wrong case " + SENTINEL})
    assert response.status_code == 302
    kept = Attachment.objects.get()
    assert kept.removed_at is not None and kept.content == b"" and kept.filename == "photo.png"
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_attachment")
        assert bytes(cursor.fetchone()[0]).startswith(crypto.BINARY_PREFIX)  # an encrypted empty value
    assert_denied(client.get(url("cases:attachment_download", pk=case.pk, attachment_id=attachment.pk)))
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "removed" in page and "photo.png" in page and "Uploaded to the wrong case" in page
    assert CaseActivity.objects.filter(case=case, kind="attachment").count() == 2
    event = AuditEvent.objects.get(action="case.document_removed")
    assert event.detail == {"attachment": attachment.pk}
    assert SENTINEL not in str([e.detail for e in AuditEvent.objects.all()])
    assert client.post(remove, {"reason": "again"}).status_code == 400


# ---- who may reach it -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_other_organisations_get_404_on_every_url(network, case):
    attachment = services.attachment_add(by=network[Role.CASEWORKER], case=case, filename="a.pdf", data=PDF)
    other_case = open_case(network["other_caseworker"], network.other)
    foreign = services.attachment_add(by=network["other_caseworker"], case=other_case, filename="b.pdf", data=PDF)
    for intruder in (network["other_caseworker"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:attachment_add", pk=case.pk)))
        assert_denied(_upload(client, case, "x.pdf", PDF))
        assert_denied(client.get(url("cases:attachment_download", pk=case.pk, attachment_id=attachment.pk)))
        assert_denied(client.post(url("cases:attachment_remove", pk=case.pk, attachment_id=attachment.pk), {"reason": "x"}))
        # Even a huge upload is refused as "not found", not as "too large".
        assert_denied(_upload(client, case, "huge.pdf", b"%PDF-" + b"x" * (12 * 1024 * 1024)))
    client = client_for(network[Role.CASEWORKER])
    assert_denied(client.get(url("cases:attachment_download", pk=case.pk, attachment_id=foreign.pk)))
    assert_denied(client.post(url("cases:attachment_remove", pk=case.pk, attachment_id=foreign.pk), {"reason": "x"}))
    assert Attachment.objects.filter(removed_at__isnull=True).count() == 2
    assert not AuditEvent.objects.filter(action="case.document_downloaded").exists()


# ---- encryption ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_name_description_and_bytes_are_encrypted_at_rest(network, case):
    client = client_for(network[Role.CASEWORKER])
    assert _upload(client, case, SENTINEL + ".pdf", PDF, description=SENTINEL).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename, description FROM cases_attachment")
        content, filename, description = cursor.fetchone()
    assert SENTINEL.encode() not in bytes(content) and b"%PDF" not in bytes(content)
    assert SENTINEL not in filename and SENTINEL not in description
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail FROM core_auditevent")
        assert SENTINEL not in " ".join(str(row[0]) for row in cursor.fetchall())
    assert Attachment.objects.get().content == PDF


@pytest.fixture
def rotating_network(tmp_path, settings, monkeypatch, db):
    """A network whose every secret is under a key file of its own, so keys can be rotated."""
    monkeypatch.delenv("RETE_FIELD_KEYS", raising=False)
    monkeypatch.delenv("RETE_INDEX_KEY", raising=False)
    settings.RETE_KEY_FILE = tmp_path / "keys.json"
    crypto.reset_keys()
    try:
        yield Network()
    finally:
        crypto.reset_keys()


@pytest.mark.django_db
def test_documents_survive_key_rotation(rotating_network):
    network = rotating_network
    case = open_case(network[Role.CASEWORKER], network.home)
    client = client_for(network[Role.CASEWORKER])
    assert _upload(client, case, "report.pdf", PDF, description="before rotation").status_code == 302
    attachment = Attachment.objects.defer("content").get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_attachment")
        before = bytes(cursor.fetchone()[0])
    old_primary = crypto._keys()[0]._fernets[0]
    call_command("rotate_keys", new_key=True, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_attachment")
        after = bytes(cursor.fetchone()[0])
    assert after != before
    new_primary = crypto._keys()[0]._fernets[0]
    assert new_primary is not old_primary
    assert new_primary.decrypt(after[len(crypto.BINARY_PREFIX):]) == PDF
    download = client.get(url("cases:attachment_download", pk=case.pk, attachment_id=attachment.pk))
    assert download.status_code == 200 and download.content == PDF
    assert Attachment.objects.defer("content").get().description == "before rotation"


# ---- the pieces ------------------------------------------------------------------------------------


def test_filenames_are_cleaned_and_the_disposition_is_safe():
    assert documents.clean_filename("C:\\Users\\her\\Desktop\\report.pdf") == "report.pdf"
    assert documents.clean_filename("../../etc/passwd") == "passwd"
    assert documents.clean_filename("evil\r\nname.pdf") == "evilname.pdf"
    header = documents.content_disposition('quote"and;semi.pdf')
    assert header.startswith('attachment; filename="quote_and_semi.pdf"; ')
    assert "\r" not in documents.content_disposition("a\r\nSet-Cookie: x.pdf")
    assert documents.content_disposition("Σύνοψη.pdf").startswith('attachment; filename="document.pdf"; filename*=UTF-8\'\'%CE%A3')
    assert documents.content_disposition("Café crème.txt").startswith('attachment; filename="Cafe creme.txt"')
    assert documents.download_type("text/plain; charset=utf-8") == "application/octet-stream"
    assert documents.download_type("image/png") == "image/png"
    assert documents.human_size(10 * 1024 * 1024) == "10.0 MB"
