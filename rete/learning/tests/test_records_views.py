"""The staff pages of practices (views/practice_records.py): who reaches them, the list's search
and filters, the new practice and edit forms (bad input keeps her entries, a stale edit shows
both versions), translations, submitting, files, and a bounded number of queries."""
import pytest

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Membership, Role
from rete.learning.models import (PRACTICE_TEXT_FIELDS, Practice, PracticeAttachment, PracticeStateChange, PracticeStatus,
                                  TargetGroup, ViolenceForm)
from rete.learning.services import practice_records as record_services
from rete.learning.services import practices as services
from rete.learning.tests.factories import PRACTICE_TEXTS, make_practice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the kit"


@pytest.fixture
def practice(network):
    return make_practice(network["caseworker"], network.home)


def _fresh(practice):
    return Practice.objects.get(pk=practice.pk)


def _attach(practice, by, **extra):
    return record_services.practice_attachment_add(by=by, practice=practice, filename="kit.pdf", data=PDF, **extra)


def _publish(practice):
    Practice.objects.filter(pk=practice.pk).update(status=PracticeStatus.PUBLISHED)
    return _fresh(practice)


def _edit_data(practice, **changes):
    data = {"version": practice.version, "country": practice.country, "pillar": practice.pillar,
            "target_groups": [TargetGroup.SURVIVORS], "violence_forms": [ViolenceForm.INTIMATE_PARTNER],
            "contact": "Anna Example, anna@example.org", "started_on": "", **PRACTICE_TEXTS}
    data.update(changes)
    return data


def _pages(practice, attachment):
    return {
        "detail": url("learning:practice_detail", practice_id=practice.pk),
        "edit": url("learning:practice_edit", practice_id=practice.pk),
        "translate": url("learning:practice_translate", practice_id=practice.pk, practice_language="it"),
        "download": url("learning:practice_attachment_download", practice_id=practice.pk,
                        practice_attachment_id=attachment.pk),
    }


def _actions(practice, attachment):
    return {
        "submit": url("learning:practice_submit", practice_id=practice.pk),
        "attachment_add": url("learning:practice_attachment_add", practice_id=practice.pk),
        "attachment_delete": url("learning:practice_attachment_delete", practice_id=practice.pk,
                                 practice_attachment_id=attachment.pk),
    }


# ---- who reaches what -------------------------------------------------------------------------


def test_it_checks_ownership(network, practice):
    """A draft: the home organisation's members who share practices; nobody else, not even with a
    crafted POST."""
    attachment = _attach(practice, network["caseworker"])
    strangers = [network["dpo"], network["other_caseworker"], network["other_network_coordinator"],
                 network["other_trainer"], network.outsider, network.superuser]
    for name, path in _pages(practice, attachment).items():
        assert client_for(network["supervisor"]).get(path).status_code == 200, name
        for person in strangers:
            assert_denied(client_for(person).get(path))
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name, path in _actions(practice, attachment).items():
        assert client_for(network["caseworker"]).get(path).status_code == 405, name
        for person in strangers:
            assert_denied(client_for(person).post(path, {"version": practice.version, "title": "x"}))
    for person in strangers:
        assert_denied(client_for(person).post(url("learning:practice_edit", practice_id=practice.pk),
                                              _edit_data(practice, title="Hijacked")))
    fresh = _fresh(practice)
    assert fresh.status == PracticeStatus.DRAFT and fresh.version == practice.version
    assert fresh.title_en == PRACTICE_TEXTS["title"] and PracticeAttachment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="learning.practice.attachment_downloaded",
                                         actor__in=strangers).exists()


def test_unknown_ids_and_languages_are_404(network, practice):
    client = client_for(network["caseworker"])
    assert_denied(client.get(url("learning:practice_detail", practice_id=practice.pk + 999)))
    assert_denied(client.get(url("learning:practice_translate", practice_id=practice.pk, practice_language="xx")))
    other = make_practice(network["caseworker"], network.home)
    attachment = _attach(other, network["caseworker"])
    assert_denied(client.get(url("learning:practice_attachment_download", practice_id=practice.pk,
                                 practice_attachment_id=attachment.pk)))


def test_the_new_practice_page_is_for_those_who_share_practices(network):
    path = url("learning:practice_add")
    assert client_for(network["trainer"]).get(path).status_code == 200
    assert client_for(network.outsider).get(path).status_code == 200  # admin of the other organisation
    for person in (network["dpo"], network.superuser):
        assert_denied(client_for(person).get(path))
        assert_denied(client_for(person).post(path, {"title": "x"}))
    assert not Practice.objects.exists()


def test_a_published_practice_is_read_by_every_member_and_changed_by_nobody_else(network, practice):
    attachment = _attach(practice, network["caseworker"])
    practice = _publish(practice)
    reader = client_for(network["other_caseworker"])
    pages = _pages(practice, attachment)
    assert reader.get(pages["detail"]).status_code == 200
    assert reader.get(pages["download"]).status_code == 200
    assert client_for(network["dpo"]).get(pages["detail"]).status_code == 200
    response = reader.get(pages["edit"])
    assert response.status_code == 302 and response["Location"] == pages["detail"]
    assert reader.get(pages["translate"]).status_code == 302
    page = reader.get(pages["detail"]).content.decode()
    assert "Add the file" not in page and "Submit to the network" not in page
    assert_denied(reader.post(_actions(practice, attachment)["attachment_delete"]))
    assert_denied(reader.post(_actions(practice, attachment)["submit"], {"version": practice.version}))
    # The owner, once it is published: no editing, a message saying why; translating still works.
    owner = client_for(network["caseworker"])
    response = owner.get(pages["edit"], follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert owner.get(pages["translate"]).status_code == 200


# ---- the list ---------------------------------------------------------------------------------


def test_the_list_searches_and_filters(network, as_user):
    owner = network["caseworker"]
    kit = make_practice(owner, network.home)
    group = make_practice(owner, network.home, texts={"title": "Men's group in Burgas", "summary": "Weekly."},
                          pillar="prevention", target_groups=[TargetGroup.PERPETRATORS], violence_forms=[])
    cyprus = _publish(make_practice(network["other_caseworker"], network.other, texts={"title": "Police desk in Nicosia"},
                                    target_groups=[TargetGroup.MIGRANTS], violence_forms=[ViolenceForm.STALKING]))
    hidden = make_practice(network["other_caseworker"], network.other, texts={"title": "A Cypriot draft"})
    client = as_user(owner)
    path = url("learning:practice_list")

    def titles(**query):
        response = client.get(path, query)
        assert response.status_code == 200
        body = response.content.decode()
        return {p.title_en for p in (kit, group, cyprus, hidden) if p.title_en.replace("'", "&#x27;") in body}

    assert titles() == {kit.title_en, group.title_en, cyprus.title_en}
    assert titles(q="luggage") == {kit.title_en}
    assert titles(q="BURGAS") == {group.title_en}
    assert titles(q="draft") == set()
    assert titles(country="CY") == {cyprus.title_en}
    assert titles(pillar="prevention") == {group.title_en}
    assert titles(target_group="migrants") == {cyprus.title_en}
    assert titles(violence_form="intimate_partner") == {kit.title_en}
    assert titles(status="published") == {cyprus.title_en}
    assert titles(mine="on") == {kit.title_en, group.title_en}
    assert titles(mine="on", q="luggage") == {kit.title_en}
    body = client.get(path, {"q": "nothing-like-this"}).content.decode()
    assert "No practice matches this search." in body
    # A bad filter value is said, not an error.
    response = client.get(path, {"country": "ZZ"})
    assert response.status_code == 200 and "Please check the choices above." in response.content.decode()
    assert "Share a practice" in body


def test_the_list_shows_titles_in_her_language_and_says_when_it_cannot(network, practice):
    owner = network["caseworker"]
    services.practice_translate(by=owner, practice=practice, version=practice.version, language="it",
                                texts_by_field={"title": "Valigia di sicurezza"})
    client = client_for(owner)
    body = client.get(url("learning:practice_list", lang="it")).content.decode()
    assert "Valigia di sicurezza" in body and "Safety luggage" not in body
    body = client.get(url("learning:practice_list", lang="cs")).content.decode()
    assert "Safety luggage for women leaving home" in body and 'lang="en"' in body
    assert "translation-note" in body


def test_the_list_is_for_every_signed_in_person(network, practice):
    _publish(practice)
    for person in (network["dpo"], network.outsider):
        body = client_for(person).get(url("learning:practice_list")).content.decode()
        assert "Safety luggage" in body
    body = client_for(network["dpo"]).get(url("learning:practice_list")).content.decode()
    assert "Share a practice" not in body
    response = client_for(network.superuser).get(url("learning:practice_list"))
    assert response.status_code == 200 and "Safety luggage" not in response.content.decode()


def test_the_list_is_paginated(network, monkeypatch):
    from rete.learning.views import practice_records

    monkeypatch.setattr(practice_records, "PAGE_SIZE", 2)
    for index in range(5):
        make_practice(network["caseworker"], network.home, texts={"title": f"Practice number {index}"})
    client = client_for(network["caseworker"])
    body = client.get(url("learning:practice_list"), {"q": "number", "page": 3}).content.decode()
    assert "Page 3 of 3" in body and "Practice number 0" in body and "q=number&amp;page=2" in body


# ---- a new practice ---------------------------------------------------------------------------


def _add_data(**changes):
    data = {"source_language": "en", "country": "IT", "pillar": "protection", "target_groups": ["survivors", "children"],
            "violence_forms": ["domestic"], "contact": "Maria Rossi, +39 02 000", "started_on": "2020-03-01",
            "public": "on", **PRACTICE_TEXTS}
    data.update(changes)
    return data


def test_sharing_a_practice(network):
    client = client_for(network["caseworker"])
    page = client.get(url("learning:practice_add")).content.decode()
    assert "Do not include personal data of clients" in page
    assert 'type="hidden" name="organisation"' in page  # one organisation: no chooser
    response = client.post(url("learning:practice_add"), {**_add_data(), "organisation": network.home.pk})
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == url("learning:practice_detail", practice_id=practice.pk)
    assert practice.organisation == network.home and practice.public and practice.contact == "Maria Rossi, +39 02 000"
    assert practice.started_on.isoformat() == "2020-03-01" and practice.status == PracticeStatus.DRAFT
    assert set(practice.facets.values_list("value", flat=True)) == {"survivors", "children", "domestic"}
    assert AuditEvent.objects.filter(action="learning.practice.created").count() == 1


def test_bad_input_keeps_her_entries(network):
    client = client_for(network["caseworker"])
    response = client.post(url("learning:practice_add"),
                           _add_data(title="", summary="My careful summary", organisation=network.home.pk,
                                     target_groups=["survivors", "nonsense"]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "My careful summary" in body and "Maria Rossi" in body and "This field is required." in body
    assert not Practice.objects.exists()
    response = client.post(url("learning:practice_add"), _add_data(title="x" * 201, organisation=network.home.pk))
    assert response.status_code == 400 and not Practice.objects.exists()


def test_she_chooses_the_organisation_when_she_shares_for_several(network):
    Membership.objects.create(user=network["caseworker"], organisation=network.other, role=Role.TRAINER)
    client = client_for(network["caseworker"])
    page = client.get(url("learning:practice_add")).content.decode()
    assert "Other Support Centre" in page and "Home Support Centre" in page
    client.post(url("learning:practice_add"), {**_add_data(), "organisation": network.other.pk})
    assert Practice.objects.get().organisation == network.other
    # An organisation she does not share for is not a choice.
    response = client_for(network["trainer"]).post(url("learning:practice_add"),
                                                   {**_add_data(), "organisation": network.other.pk})
    assert response.status_code == 400 and Practice.objects.count() == 1


# ---- the practice's page ----------------------------------------------------------------------


def test_the_page_in_her_language_with_source_and_stale_translations(network, practice):
    owner = network["caseworker"]
    practice = services.practice_translate(by=owner, practice=practice, version=practice.version, language="it",
                                           texts_by_field={"title": "Valigia di sicurezza", "summary": "Un kit."})
    practice = services.practice_update(by=owner, practice=practice, version=practice.version, country="IT",
                                        pillar="protection", texts_by_field={**PRACTICE_TEXTS, "summary": "Changed."},
                                        facets={"target_group": ["survivors"]}, contact="Anna Example, anna@example.org")
    client = client_for(network["supervisor"])
    detail = url("learning:practice_detail", practice_id=practice.pk)
    body = client.get(detail, {"lang": "it"}).content.decode()
    assert "Valigia di sicurezza" in body and "Un kit." in body
    assert body.count("Translation out of date") == 1  # the summary, not the title
    assert "Not yet translated into Italian: shown in English." in body  # the description
    assert "?lang=it" in body and "?lang=en" in body and "(original)" in body
    assert "Anna Example, anna@example.org" in body and "Women survivors of violence" in body
    body = client.get(detail).content.decode()  # English, the source
    assert "Changed." in body and "Translation out of date" not in body
    body = client.get(detail, {"lang": "nonsense"}).content.decode()
    assert "Changed." in body


def test_the_page_shows_the_history_and_the_files(network, practice):
    _attach(practice, network["caseworker"], title="Checklist of the kit")
    services.practice_submit(by=network["caseworker"], practice=practice)
    body = client_for(network["trainer"]).get(url("learning:practice_detail", practice_id=practice.pk)).content.decode()
    assert "Checklist of the kit" in body and "Submitted" in body
    assert "Add the file" not in body  # submitted: files are frozen


def test_the_sections_of_other_parts_are_rendered(network, practice, monkeypatch):
    from rete.learning.views import practice_records

    from django.utils.safestring import mark_safe

    monkeypatch.setattr(practice_records, "render_sections",
                        lambda request, page, obj: [{"key": "x", "html": mark_safe(f"<p>SECTION {page} {obj.pk}</p>")}])
    body = client_for(network["caseworker"]).get(url("learning:practice_detail", practice_id=practice.pk)).content.decode()
    assert f"<p>SECTION practice {practice.pk}</p>" in body


# ---- editing ----------------------------------------------------------------------------------


def test_editing_the_source_text(network, practice):
    client = client_for(network["trainer"])
    path = url("learning:practice_edit", practice_id=practice.pk)
    page = client.get(path).content.decode()
    assert PRACTICE_TEXTS["how_it_works"] in page and "Anna Example" in page
    response = client.post(path, _edit_data(practice, title="Safety bag", pillar="prevention", public="on"))
    assert response.status_code == 302
    fresh = _fresh(practice)
    assert fresh.title_en == "Safety bag" and fresh.pillar == "prevention" and fresh.public
    assert fresh.version == practice.version + 1
    response = client.post(path, _edit_data(fresh, title="", summary="Keep this summary"))
    assert response.status_code == 400 and "Keep this summary" in response.content.decode()
    assert _fresh(practice).title_en == "Safety bag"


def test_a_stale_edit_shows_both_versions_and_keeps_hers(network, practice):
    path = url("learning:practice_edit", practice_id=practice.pk)
    opened = practice.version
    services.practice_update(by=network["supervisor"], practice=practice, version=opened, country="IT",
                             pillar="protection", texts_by_field={**PRACTICE_TEXTS, "summary": "Their summary."},
                             facets={"target_group": ["children"]}, contact="Anna Example, anna@example.org")
    response = client_for(network["caseworker"]).post(path, _edit_data(practice, version=opened,
                                                                       summary="My summary."))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this record" in body
    assert "My summary." in body and "Their summary." in body and "Children and young people" in body
    assert f'name="version" value="{opened + 1}"' in body
    assert _fresh(practice).summary_en == "Their summary."
    # Saving again from the conflict page keeps hers.
    response = client_for(network["caseworker"]).post(path, _edit_data(practice, version=opened + 1, summary="My summary."))
    assert response.status_code == 302 and _fresh(practice).summary_en == "My summary."


def test_a_practice_under_review_cannot_be_edited(network, practice):
    services.practice_submit(by=network["caseworker"], practice=practice)
    client = client_for(network["caseworker"])
    path = url("learning:practice_edit", practice_id=practice.pk)
    response = client.get(path)
    assert response.status_code == 302
    response = client.post(path, _edit_data(_fresh(practice), title="Too late"), follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert _fresh(practice).title_en == PRACTICE_TEXTS["title"]


# ---- translating ------------------------------------------------------------------------------


def test_translating_field_by_field(network, practice):
    client = client_for(network["police_officer"])
    path = url("learning:practice_translate", practice_id=practice.pk, practice_language="it")
    body = client.get(path).content.decode()
    assert PRACTICE_TEXTS["summary"] in body  # the source beside the field
    assert "(missing)" in body and "(original)" in body
    response = client.post(path, {"version": practice.version, "title": "Valigia di sicurezza", "summary": "Un kit."})
    assert response.status_code == 302 and response["Location"].endswith("?lang=it")
    fresh = _fresh(practice)
    assert fresh.title_it == "Valigia di sicurezza" and fresh.summary_it == "Un kit."
    body = client.get(path).content.decode()
    assert "(incomplete)" in body and "Valigia di sicurezza" in body
    services.practice_update(by=network["caseworker"], practice=fresh, version=fresh.version, country="IT",
                             pillar="protection", texts_by_field={**PRACTICE_TEXTS, "summary": "New."}, facets={})
    body = client.get(path).content.decode()
    assert "(out of date)" in body and body.count("Out of date: the original text has changed") == 1
    # The source language is edited, not translated.
    response = client.get(url("learning:practice_translate", practice_id=practice.pk, practice_language="en"))
    assert response.status_code == 302 and response["Location"] == url("learning:practice_edit", practice_id=practice.pk)
    assert AuditEvent.objects.filter(action="learning.practice.translated").count() == 1


def test_a_stale_translation_shows_both_versions(network, practice):
    path = url("learning:practice_translate", practice_id=practice.pk, practice_language="el")
    opened = practice.version
    services.practice_translate(by=network["supervisor"], practice=practice, version=opened, language="el",
                                texts_by_field={"title": "Βαλίτσα ασφαλείας"})
    response = client_for(network["caseworker"]).post(path, {"version": opened, "title": "Η δική μου βαλίτσα"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Βαλίτσα ασφαλείας" in body and "Η δική μου βαλίτσα" in body and "Someone else saved" in body
    assert _fresh(practice).title_el == "Βαλίτσα ασφαλείας"
    response = client_for(network["caseworker"]).post(path, {"version": opened, "title": "x" * 201})
    assert response.status_code == 400


def test_network_coordinators_translate_a_submitted_practice(network, practice):
    services.practice_submit(by=network["caseworker"], practice=practice)
    client = client_for(network["other_network_coordinator"])
    path = url("learning:practice_translate", practice_id=practice.pk, practice_language="cs")
    assert client.get(path).status_code == 200
    assert client.post(path, {"version": _fresh(practice).version, "title": "Bezpečnostní zavazadlo"}).status_code == 302
    assert _fresh(practice).title_cs == "Bezpečnostní zavazadlo"
    response = client_for(network["other_trainer"]).get(path)
    assert response.status_code == 302  # a reviewer reads it but does not translate it


# ---- submitting -------------------------------------------------------------------------------


def test_submitting_and_its_errors_on_the_page(network):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home, texts={"title": "Only a title"})
    client = client_for(owner)
    path = url("learning:practice_submit", practice_id=practice.pk)
    response = client.post(path, {"version": practice.version})
    assert response.status_code == 400
    assert "Write a summary before submitting the practice." in response.content.decode()
    assert _fresh(practice).status == PracticeStatus.DRAFT
    assert client.post(path, {}).status_code == 400
    complete = make_practice(owner, network.home)
    path = url("learning:practice_submit", practice_id=complete.pk)
    response = client.post(path, {"version": complete.version - 1 if complete.version > 1 else complete.version + 5})
    assert response.status_code == 409 and _fresh(complete).status == PracticeStatus.DRAFT
    response = client.post(path, {"version": complete.version})
    assert response.status_code == 302 and _fresh(complete).status == PracticeStatus.SUBMITTED
    assert PracticeStateChange.objects.filter(practice=complete, to_status=PracticeStatus.SUBMITTED).exists()
    response = client.post(path, {"version": _fresh(complete).version})
    assert response.status_code == 400  # already submitted


# ---- files ------------------------------------------------------------------------------------


def _upload(client, practice, name, data, title="The kit"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("learning:practice_attachment_add", practice_id=practice.pk),
                       {"title": title, "file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_adding_downloading_and_removing_a_file(network, practice):
    client = client_for(network["caseworker"])
    response = _upload(client, practice, "kit.pdf", PDF)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    attachment = PracticeAttachment.objects.get()
    download = url("learning:practice_attachment_download", practice_id=practice.pk, practice_attachment_id=attachment.pk)
    response = client_for(network["supervisor"]).get(download)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;") and "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action="learning.practice.attachment_downloaded").get()
    assert event.actor_id == network["supervisor"].pk and event.detail == {"practice": practice.pk,
                                                                         "attachment": attachment.pk}
    response = client.post(url("learning:practice_attachment_delete", practice_id=practice.pk,
                               practice_attachment_id=attachment.pk))
    assert response.status_code == 302 and not PracticeAttachment.objects.exists()
    assert_denied(client.get(download))


def test_files_are_refused_by_type_and_size_with_her_title_kept(network, practice, settings):
    client = client_for(network["caseworker"])
    response = _upload(client, practice, "kit.exe", b"MZ\x90\x00", title="keep-this-title")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This kind of file cannot be added." in body and "keep-this-title" in body
    response = _upload(client, practice, "kit.pdf", b"<html>not a pdf</html>", title="keep-this-title")
    assert response.status_code == 400 and "is not what its name says" in response.content.decode()
    settings.RETE_ATTACHMENT_MAX_BYTES = 2000
    response = _upload(client, practice, "big.pdf", b"%PDF-" + b"x" * 5000, title="keep-big-title")
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is too large: the limit is 2.0 KB." in body and "keep-big-title" in body
    response = _upload(client, practice, "huge.pdf", b"%PDF-" + b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413 and "The file is too large" in response.content.decode()
    response = client.post(url("learning:practice_attachment_add", practice_id=practice.pk), {"title": "no file"})
    assert response.status_code == 400 and "no file" in response.content.decode()
    assert not PracticeAttachment.objects.exists()


def test_files_of_a_public_practice_stay_for_staff(network, practice):
    attachment = _attach(practice, network["caseworker"])
    Practice.objects.filter(pk=practice.pk).update(status=PracticeStatus.PUBLISHED, public=True)
    download = url("learning:practice_attachment_download", practice_id=practice.pk, practice_attachment_id=attachment.pk)
    response = client_for(None).get(download)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(network["dpo"]).get(download).status_code == 200
    assert client_for(network["other_caseworker"]).get(download).status_code == 200


# ---- bounded queries --------------------------------------------------------------------------


def _many(network, count, start=0):
    for index in range(start, start + count):
        practice = make_practice(network["caseworker"], network.home, texts={**PRACTICE_TEXTS, "title": f"Practice {index}"},
                                 target_groups=[TargetGroup.SURVIVORS, TargetGroup.CHILDREN])
        services.practice_translate(by=network["caseworker"], practice=practice, version=practice.version,
                                    language="it", texts_by_field={"title": f"Pratica {index}"})
        published = _publish(make_practice(network["other_caseworker"], network.other,
                                           texts={"title": f"Other {index}", "summary": "s"}))
        assert published


def test_the_list_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    client = client_for(network["caseworker"])
    path = url("learning:practice_list")
    _many(network, 1)
    with django_assert_max_num_queries(12) as few:
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(12) as few_filtered:
        assert client.get(path, {"q": "practice", "target_group": "survivors", "mine": "on"}).status_code == 200
    _many(network, 9, start=1)
    with django_assert_max_num_queries(len(few)):
        body = client.get(path).content.decode()
    assert "Practice 9" in body and "Other 9" in body
    with django_assert_max_num_queries(len(few_filtered)):
        body = client.get(path, {"q": "practice", "target_group": "survivors", "mine": "on"}).content.decode()
    assert "Practice 9" in body and "Other 9" not in body


def test_the_page_runs_a_fixed_number_of_queries(network, practice, django_assert_max_num_queries):
    client = client_for(network["caseworker"])
    path = url("learning:practice_detail", practice_id=practice.pk)
    _attach(practice, network["caseworker"])
    with django_assert_max_num_queries(30) as few:
        assert client.get(path).status_code == 200
    for index in range(9):
        _attach(practice, network["caseworker"], title=f"File {index}")
    fresh = _fresh(practice)
    for language in ("it", "el", "cs", "bg"):
        fresh = services.practice_translate(by=network["caseworker"], practice=fresh, version=fresh.version,
                                            language=language, texts_by_field={"title": f"Title {language}"})
    with django_assert_max_num_queries(len(few)):
        body = client.get(path).content.decode()
    assert "File 8" in body
    edit = url("learning:practice_edit", practice_id=practice.pk)
    translate = url("learning:practice_translate", practice_id=practice.pk, practice_language="it")
    with django_assert_max_num_queries(12):
        assert client.get(edit).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(translate).status_code == 200


def test_every_text_field_is_on_the_forms(network, practice):
    client = client_for(network["caseworker"])
    for path in (url("learning:practice_add"), url("learning:practice_edit", practice_id=practice.pk),
                 url("learning:practice_translate", practice_id=practice.pk, practice_language="bg")):
        body = client.get(path).content.decode()
        for field in PRACTICE_TEXT_FIELDS:
            assert f'name="{field}"' in body, (path, field)
