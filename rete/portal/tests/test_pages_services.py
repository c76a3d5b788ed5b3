"""Information pages, the writes: drafts, submission, four-eyes review, one published version
per language, superseding, stale edits, discarding, scope by country and the audit trail."""
import pytest
from django.http import Http404

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.portal.models import PageStatus, PageVersion
from rete.portal.services import pages as services
from rete.portal.tests.factories_pages import make_page

pytestmark = pytest.mark.django_db


def create(editor, **values):
    defaults = {"country": "IT", "slug": "reporting-test", "language": "it", "title": "Come denunciare",
                "summary": "Dove e come.", "body": "Testo.", "change_note": ""}
    return services.page_create(by=editor, **{**defaults, **values})


def save(editor, page, draft=None, **values):
    defaults = {"title": "Come denunciare", "summary": "", "body": "Testo nuovo.", "change_note": "Nuovo testo"}
    return services.page_draft_save(by=editor, page=page, language=values.pop("language", "it"),
                                    draft_id=draft.pk if draft else None, version=draft.version if draft else None,
                                    **{**defaults, **values})


def actions():
    return list(AuditEvent.objects.filter(action__startswith="portal.page_").order_by("seq").values_list("action", flat=True))


def test_the_whole_workflow_from_draft_to_published(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = create(editor)
    assert (draft.number, draft.status, draft.created_by) == (1, PageStatus.DRAFT, editor)
    draft = save(editor, draft.page, draft, body="Testo corretto.")
    assert draft.body == "Testo corretto." and draft.version == 2
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    assert submitted.status == PageStatus.IN_REVIEW and submitted.submitted_at
    published = services.page_publish(by=coordinator, version=submitted)
    assert published.status == PageStatus.PUBLISHED and published.reviewed_by == coordinator and published.published_at
    assert actions() == ["portal.page_created", "portal.page_draft_saved", "portal.page_submitted", "portal.page_published"]
    event = AuditEvent.objects.get(action="portal.page_published")
    assert event.organisation == network.home and event.actor == coordinator
    assert "Testo" not in str(AuditEvent.objects.filter(action__startswith="portal.").values_list("detail", flat=True))


def test_a_submitted_version_is_frozen(network):
    editor = network["content_editor"]
    draft = create(editor)
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    with pytest.raises(StaleEdit) as stale:
        save(editor, draft.page, draft, body="Changed after submission")
    assert stale.value.current.pk == submitted.pk
    with pytest.raises(StaleEdit):  # nor can a new draft start while it waits for review
        save(editor, draft.page, None)
    with pytest.raises(ServiceError):
        services.page_submit(by=editor, draft=submitted, version=submitted.version)
    with pytest.raises(ServiceError):
        services.page_draft_discard(by=editor, draft=submitted, version=submitted.version)
    assert PageVersion.objects.get(pk=submitted.pk).body == "Testo."


def test_four_eyes_the_author_and_whoever_edited_cannot_review(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = create(editor)
    with pytest.raises(ServiceError):
        services.page_publish(by=coordinator, version=draft)  # a draft is not waiting for review
    # The coordinator improves the editor's draft: now neither of them may review it.
    draft = save(coordinator, draft.page, draft, body="Testo migliorato.")
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    for person in (editor, coordinator):
        assert services.review_refusal(user=person, version=submitted)
        with pytest.raises(ServiceError):
            services.page_publish(by=person, version=submitted)
        with pytest.raises(ServiceError):
            services.page_return(by=person, version=submitted, comment="No")
    from rete.conftest import make_user
    from rete.core.models import Role

    second = make_user("second-editor@home.example", roles=[Role.CONTENT_EDITOR], organisation=network.home)
    assert services.review_refusal(user=second, version=submitted) == ""
    assert services.page_publish(by=second, version=submitted).status == PageStatus.PUBLISHED


def test_publishing_supersedes_the_published_version_and_keeps_one(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    page, first, draft = make_page(editor, coordinator, language="it")
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    second = services.page_publish(by=coordinator, version=submitted)
    first.refresh_from_db()
    assert first.status == PageStatus.SUPERSEDED and first.published_at  # it was published once
    assert second.status == PageStatus.PUBLISHED and second.number == 2
    assert PageVersion.objects.filter(page=page, language="it", status=PageStatus.PUBLISHED).count() == 1
    assert AuditEvent.objects.filter(action="portal.page_published").order_by("seq").last().detail["replaced"] == 1


def test_return_needs_a_comment_and_the_next_draft_replaces_the_returned_version(network, django_capture_on_commit_callbacks,
                                                                                  mailoutbox):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = create(editor)
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    with pytest.raises(ServiceError) as refused:
        services.page_return(by=coordinator, version=submitted, comment="  ")
    assert refused.value.field == "comment"
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.page_return(by=coordinator, version=submitted, comment="Add the 1522 number.")
    assert returned.status == PageStatus.RETURNED and returned.review_comment == "Add the 1522 number."
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [editor.email]
    assert "Add the 1522" not in mailoutbox[0].body  # the comments are read in Rete
    second = save(editor, draft.page, None, body="Testo. Chiama il 1522.")
    returned.refresh_from_db()
    assert second.number == 2 and second.status == PageStatus.DRAFT
    assert returned.status == PageStatus.SUPERSEDED and returned.review_comment and returned.body == "Testo."
    # Discarding the new draft gives the returned version its place back.
    services.page_draft_discard(by=editor, draft=second, version=second.version)
    returned.refresh_from_db()
    assert returned.status == PageStatus.RETURNED
    assert not PageVersion.objects.filter(pk=second.pk).exists()
    assert "portal.page_returned" in actions() and actions()[-1] == "portal.page_draft_discarded"


def test_publish_mails_the_author(network, django_capture_on_commit_callbacks, mailoutbox):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = create(editor)
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.page_publish(by=coordinator, version=submitted)
    assert len(mailoutbox) == 1 and "published" in mailoutbox[0].subject


def test_a_stale_save_raises_stale_edit_with_the_saved_draft(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = create(editor)
    save(coordinator, draft.page, draft, body="Coordinator's text")
    with pytest.raises(StaleEdit) as stale:
        save(editor, draft.page, draft, body="Editor's text")
    assert stale.value.current.body == "Coordinator's text"
    with pytest.raises(StaleEdit):  # a second "new draft" while one exists is stale too
        save(editor, draft.page, None)
    with pytest.raises(StaleEdit):
        services.page_submit(by=editor, draft=draft, version=draft.version)
    with pytest.raises(StaleEdit):
        services.page_draft_discard(by=editor, draft=draft, version=draft.version)
    # Saving the same text again with the right version changes nothing and records nothing.
    current = PageVersion.objects.get(pk=draft.pk)
    count = AuditEvent.objects.count()
    assert save(editor, draft.page, current, body="Coordinator's text").version == current.version
    assert AuditEvent.objects.count() == count


def test_scope_is_by_country(network):
    """The Cypriot organisation's editor can neither create nor touch an Italian page."""
    other_editor = network["other_content_editor"]
    with pytest.raises(Http404):
        create(other_editor)
    draft = create(network["content_editor"])
    with pytest.raises(Http404):
        save(other_editor, draft.page, draft)
    with pytest.raises(Http404):
        services.page_submit(by=other_editor, draft=draft, version=draft.version)
    with pytest.raises(Http404):
        services.page_draft_discard(by=other_editor, draft=draft, version=draft.version)
    submitted = services.page_submit(by=network["content_editor"], draft=draft, version=draft.version)
    for person in (other_editor, network.outsider, network["caseworker"]):
        with pytest.raises(Http404):
            services.page_publish(by=person, version=submitted)
    assert create(other_editor, country="CY").page.country == "CY"


def test_address_taken_language_and_links_are_checked(network):
    editor = network["content_editor"]
    create(editor)
    with pytest.raises(ServiceError) as taken:
        create(editor)
    assert taken.value.field == "slug"
    with pytest.raises(ServiceError) as bad:
        create(editor, slug="Not a slug")
    assert bad.value.field == "slug"
    with pytest.raises(ServiceError) as link:
        create(editor, slug="links", body="See [the law](https://example.org/law).")
    assert link.value.field == "body"
    with pytest.raises(ServiceError):
        create(editor, slug="links", body="See <https://example.org/law>.")
    with pytest.raises(ServiceError):
        create(editor, slug="links", body="See [it](//example.org/).")
    page = create(editor, slug="links", body="Call [1522](tel:1522), write [us](mailto:a@b.example), see the "
                                             "[directory](/en/directory/) or https://example.org as text.").page
    assert page.slug == "links"
    with pytest.raises(ServiceError) as language:
        create(editor, slug="other", language="de")
    assert language.value.field == "language"
    with pytest.raises(ServiceError) as empty:
        create(editor, slug="other", title=" ")
    assert empty.value.field == "title"


def test_external_links_finds_only_other_sites():
    # (markdown-it never makes a link of javascript: addresses)
    assert services.external_links("[a](https://x.example) [b](/it/info/) [c](tel:112) [d](ftp://x.example/f) "
                                   "[e](javascript:alert(1))") == ["https://x.example", "ftp://x.example/f"]
