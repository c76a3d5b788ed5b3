"""Files of a practice (services/practice_records.py) and what the pages say about each language
of a practice (selectors/practice_records.py): who may add and remove files and when, refusals
by type and size, the audit trail, and the pure language helpers."""
import pytest
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from rete.core.models import AuditEvent
from rete.core.services import ServiceError
from rete.learning.models import PRACTICE_TEXT_FIELDS, Practice, PracticeAttachment, PracticeStatus
from rete.learning.selectors import practice_records as records
from rete.learning.services import practice_records as record_services
from rete.learning.services import practices as services
from rete.learning.tests.factories import make_practice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a small document"


def _add(by, practice, filename="kit.pdf", data=PDF, title=""):
    return record_services.practice_attachment_add(by=by, practice=practice, filename=filename, data=data, title=title)


def test_an_owner_adds_a_file_stored_encrypted_and_audited_without_its_name(network):
    practice = make_practice(network["caseworker"], network.home)
    attachment = _add(network["trainer"], practice, filename="Kit list.pdf", title="The kit list")
    stored = PracticeAttachment.objects.get(pk=attachment.pk)
    assert bytes(stored.content) == PDF and stored.content_type == "application/pdf" and stored.size == len(PDF)
    assert stored.title == "The kit list" and stored.filename == "Kit list.pdf"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM learning_practiceattachment WHERE id = %s", [attachment.pk])
        raw = bytes(cursor.fetchone()[0])
    assert PDF not in raw
    event = AuditEvent.objects.filter(action="learning.practice.attachment_added").get()
    assert event.detail == {"practice": practice.pk, "attachment": attachment.pk, "content_type": "application/pdf",
                            "size": len(PDF)}
    assert "Kit" not in str(event.detail) and event.organisation_id == network.home.pk


def test_the_title_defaults_to_the_file_name(network):
    practice = make_practice(network["caseworker"], network.home)
    assert _add(network["caseworker"], practice, filename="notes.txt", data=b"Plain notes\n").title == "notes.txt"


@pytest.mark.parametrize("filename,data", [
    ("kit.exe", b"MZ\x90\x00"),
    ("kit.pdf", b"<html><script>alert(1)</script>"),
    ("kit.png", PDF),
    ("kit.html", b"<html></html>"),
    ("", PDF),
    ("empty.pdf", b""),
])
def test_files_are_refused_by_their_type_and_content(network, filename, data):
    practice = make_practice(network["caseworker"], network.home)
    with pytest.raises(ServiceError) as refused:
        _add(network["caseworker"], practice, filename=filename, data=data)
    assert refused.value.field == "file"
    assert not PracticeAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(network, settings):
    settings.RETE_ATTACHMENT_MAX_BYTES = 100
    practice = make_practice(network["caseworker"], network.home)
    with pytest.raises(ServiceError) as refused:
        _add(network["caseworker"], practice, data=b"%PDF-" + b"x" * 200)
    assert "too large" in refused.value.message
    _add(network["caseworker"], practice, data=b"%PDF-" + b"x" * 90)


def test_only_the_owners_members_add_and_remove_files(network):
    practice = make_practice(network["caseworker"], network.home)
    attachment = _add(network["caseworker"], practice)
    for stranger in (network["dpo"], network["other_caseworker"], network["other_network_coordinator"], network.outsider,
                     network.superuser):
        with pytest.raises(Exception) as denied:
            _add(stranger, practice)
        assert denied.typename == "Http404"
        with pytest.raises(Exception) as denied:
            record_services.practice_attachment_delete(by=stranger, practice=practice, attachment_id=attachment.pk)
        assert denied.typename == "Http404"
    assert PracticeAttachment.objects.count() == 1


def test_files_are_frozen_once_the_practice_is_submitted(network):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home)
    attachment = _add(owner, practice)
    services.practice_submit(by=owner, practice=practice)
    with pytest.raises(ServiceError):
        _add(owner, practice)
    with pytest.raises(ServiceError):
        record_services.practice_attachment_delete(by=owner, practice=practice, attachment_id=attachment.pk)
    assert PracticeAttachment.objects.count() == 1


def test_removing_a_file_is_audited_and_an_unknown_file_is_404(network):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home)
    other = make_practice(owner, network.home)
    attachment = _add(owner, practice)
    for wrong in (attachment.pk + 1000, "x"):
        with pytest.raises(Exception) as denied:
            record_services.practice_attachment_delete(by=owner, practice=practice, attachment_id=wrong)
        assert denied.typename == "Http404"
    with pytest.raises(Exception):
        record_services.practice_attachment_delete(by=owner, practice=other, attachment_id=attachment.pk)
    record_services.practice_attachment_delete(by=owner, practice=practice, attachment_id=attachment.pk)
    assert not PracticeAttachment.objects.exists()
    event = AuditEvent.objects.filter(action="learning.practice.attachment_deleted").get()
    assert event.detail == {"practice": practice.pk, "attachment": attachment.pk}


def test_a_practice_has_at_most_so_many_files(network, monkeypatch):
    monkeypatch.setattr(record_services, "MAX_ATTACHMENTS", 2)
    practice = make_practice(network["caseworker"], network.home)
    _add(network["caseworker"], practice)
    _add(network["caseworker"], practice)
    with pytest.raises(ServiceError):
        _add(network["caseworker"], practice)


def test_the_list_is_for_members_and_mine_keeps_my_organisations(network):
    home = make_practice(network["caseworker"], network.home)
    other = make_practice(network["other_caseworker"], network.other)
    for practice in (home, other):
        Practice.objects.filter(pk=practice.pk).update(status=PracticeStatus.PUBLISHED)
    assert set(records.record_list(user=network["caseworker"])) == {home, other}
    assert list(records.record_list(user=network["caseworker"], mine=True)) == [home]
    assert list(records.record_list(user=network.superuser)) == []
    draft = make_practice(network["caseworker"], network.home)
    assert draft not in set(records.record_list(user=network["dpo"]))
    assert draft not in set(records.record_list(user=network["other_network_coordinator"]))


# ---- languages of a practice (pure) -----------------------------------------------------------


def test_the_status_of_each_language(network):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home)
    assert records.language_status(practice, "en") == records.SOURCE
    assert records.language_status(practice, "it") == records.MISSING
    practice = services.practice_translate(by=owner, practice=practice, version=practice.version, language="it",
                                           texts_by_field={"title": "Valigia di sicurezza"})
    assert records.language_status(practice, "it") == records.PARTIAL
    all_texts = {field: f"IT {field}" for field in PRACTICE_TEXT_FIELDS}
    practice = services.practice_translate(by=owner, practice=practice, version=practice.version, language="it",
                                           texts_by_field=all_texts)
    assert records.language_status(practice, "it") == records.COMPLETE
    assert records.languages_with_text(practice) == ["en", "it"]
    practice = services.practice_update(by=owner, practice=practice, version=practice.version, country="IT",
                                        pillar="protection", texts_by_field={"title": "A new title"}, facets={})
    assert records.stale_in(practice, "it") == {"title"}
    assert records.language_status(practice, "it") == records.STALE
    assert records.stale_in(practice, "en") == set()


class _Record:
    """A practice as the helpers see it: its columns and the two revision maps."""

    def __init__(self, source, columns, source_revisions, translation_revisions):
        self.source_language = source
        self.source_revisions = source_revisions
        self.translation_revisions = translation_revisions
        for key, value in columns.items():
            setattr(self, key, value)


_LANGS = ["en", "it", "el", "cs", "bg"]


@hypothesis_settings(max_examples=60, deadline=None)
@given(source=st.sampled_from(_LANGS),
       columns=st.dictionaries(st.tuples(st.sampled_from(PRACTICE_TEXT_FIELDS), st.sampled_from(_LANGS)),
                               st.sampled_from(["", "  ", "text"])),
       revisions=st.dictionaries(st.sampled_from(PRACTICE_TEXT_FIELDS), st.integers(0, 3)),
       translated=st.dictionaries(st.sampled_from(_LANGS),
                                  st.dictionaries(st.sampled_from(PRACTICE_TEXT_FIELDS), st.integers(0, 3))))
def test_language_helpers_agree_with_each_other(source, columns, revisions, translated):
    record = _Record(source, {f"{field}_{lang}": value for (field, lang), value in columns.items()}, revisions,
                     translated)
    found = records.languages_with_text(record)
    assert found == sorted(set(found), key=found.index)
    if found:
        assert (found[0] == source) == (source in found)
    for lang in _LANGS:
        status = records.language_status(record, lang)
        stale = records.stale_in(record, lang)
        assert stale <= records.fields_with_text(record, lang)
        if lang == source:
            assert status == records.SOURCE and not stale
        elif lang not in found:
            assert status == records.MISSING
        elif stale:
            assert status == records.STALE
        else:
            assert status in (records.PARTIAL, records.COMPLETE)
