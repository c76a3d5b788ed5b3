"""Information pages, the reads: what visitors read (published only, her language first) and
what editors see (their countries only), and the comparison of two versions."""
import pytest
from django.http import Http404

from rete.portal.models import PageStatus, PageVersion
from rete.portal.selectors import pages as selectors
from rete.portal.services import pages as services
from rete.portal.tests.factories_pages import make_page, published_page

pytestmark = pytest.mark.django_db


def test_country_from_url_accepts_lower_case_codes_only():
    assert selectors.country_from_url("it") == "IT"
    for bad in ("IT", "xx", "", "ita"):
        with pytest.raises(Http404):
            selectors.country_from_url(bad)


def test_info_page_list_prefers_her_language_then_english(network):
    published_page(country="CZ", slug="sel-a", language="cs", title="Česky")
    published_page(country="CZ", slug="sel-a", language="en", title="English A")
    published_page(country="CZ", slug="sel-b", language="en", title="English B")
    published_page(country="CZ", slug="sel-c", language="bg", title="Български")
    services.page_create(by=network["content_editor"], country="IT", slug="sel-draft", language="cs", title="Draft",
                         body="x")
    items = selectors.info_page_list(country="CZ", language="cs")
    shown = {item["page"].slug: (item["version"].title, item["translated"]) for item in items["general"]}
    assert shown["sel-a"] == ("Česky", True)
    assert shown["sel-b"] == ("English B", False)
    assert shown["sel-c"] == ("Български", False)
    assert "sel-draft" not in shown


def test_info_page_public_only_published(network):
    page, published, draft = make_page(network["content_editor"], network["network_coordinator"], slug="sel-public",
                                       language="it")
    found = selectors.info_page_public(country="IT", slug="sel-public", language="el")
    assert found["version"] == published and not found["translated"] and found["languages"] == ["it"]
    PageVersion.objects.filter(pk=published.pk).update(status=PageStatus.SUPERSEDED)
    with pytest.raises(Http404):
        selectors.info_page_public(country="IT", slug="sel-public", language="it")
    with pytest.raises(Http404):
        selectors.info_page_public(country="CY", slug="sel-public", language="it")


def test_editor_reads_are_scoped_to_her_countries(network):
    page, published, draft = make_page(network["content_editor"], network["network_coordinator"], slug="sel-scope")
    assert selectors.editor_page_get(user=network["content_editor"], page_id=page.pk) == page
    assert selectors.editor_version_get(user=network["network_coordinator"], version_id=draft.pk) == draft
    for person in (network["other_content_editor"], network.outsider, network["caseworker"], network.superuser):
        with pytest.raises(Http404):
            selectors.editor_page_get(user=person, page_id=page.pk)
        with pytest.raises(Http404):
            selectors.editor_version_get(user=person, version_id=draft.pk)
    with pytest.raises(Http404):
        selectors.editor_page_get(user=network["content_editor"], page_id=0)


def test_matrix_cells_and_waiting_lists(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    page, published, draft = make_page(editor, coordinator, slug="sel-matrix", language="it")
    groups = selectors.page_matrix(countries=["IT"])
    assert [group["code"] for group in groups] == ["IT"]
    row = next(row for row in groups[0]["rows"] if row["page"] == page)
    cells = {cell["language"]: cell for cell in row["cells"]}
    assert list(cells) == ["en", "it", "el", "cs", "bg"]
    assert cells["it"]["published"] == published and cells["it"]["open"] == draft
    assert cells["en"] == {"language": "en", "published": None, "open": None}
    assert list(selectors.page_versions_waiting(user=editor, countries=["IT"], which="mine")) == [draft]
    assert not selectors.page_versions_waiting(user=coordinator, countries=["IT"], which="mine").exists()
    services.page_submit(by=editor, draft=draft, version=draft.version)
    assert list(selectors.page_versions_waiting(user=coordinator, countries=["IT"], which="in_review")) == [draft]
    assert not selectors.page_versions_waiting(user=editor, countries=["IT"], which="in_review").exists()
    assert not selectors.page_versions_waiting(user=coordinator, countries=["CY"], which="in_review").exists()


def test_page_state_shows_the_comments_of_the_last_return(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    page, published, draft = make_page(editor, coordinator, slug="sel-state", language="it")
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    services.page_return(by=coordinator, version=submitted, comment="Shorter.", notify=False)
    state = selectors.page_state(page=page, language="it")
    assert state["open"].status == PageStatus.RETURNED and state["returned"].review_comment == "Shorter."
    services.page_draft_save(by=editor, page=page, language="it", title="T", body="Short.")
    state = selectors.page_state(page=page, language="it")
    assert state["open"].number == 3 and state["returned"].number == 2 and state["published"] == published
    assert selectors.translation_source(page=page, language="bg") == published
    assert [v.number for v in selectors.page_history(page=page, language="it")] == [3, 2, 1]


def test_version_diff_marks_added_removed_and_changed_words(network):
    old = PageVersion(title="Title", summary="", body="\n".join(f"line {n}" for n in range(10)))
    new = PageVersion(title="Title", summary="New summary",
                      body="\n".join(f"line {n}" for n in range(10) if n != 2).replace("line 7", "line seven") + "\nend")
    diff = selectors.version_diff(old, new)
    fields = {field["name"]: field for field in diff["fields"]}
    assert diff["changed"] and not fields["title"]["changed"] and fields["summary"]["changed"]
    kinds = [row["kind"] for row in fields["body"]["rows"]]
    assert kinds == ["same", "same", "removed", "same", "same", "same", "same", "before", "after", "same", "same", "added"]
    # Long unchanged stretches fold to two lines around each change.
    long_old = PageVersion(title="T", body="\n".join(f"line {n}" for n in range(30)))
    long_new = PageVersion(title="T", body=long_old.body.replace("line 15", "line fifteen"))
    rows = {f["name"]: f for f in selectors.version_diff(long_old, long_new)["fields"]}["body"]["rows"]
    assert [row["kind"] for row in rows] == ["skipped", "same", "same", "before", "after", "same", "same", "skipped"]
    assert rows[0]["count"] == 13 and rows[-1]["count"] == 12
    before = next(row for row in fields["body"]["rows"] if row["kind"] == "before")
    assert before["segments"] == [{"text": "line ", "changed": False}, {"text": "7", "changed": True}]
    first = selectors.version_diff(None, new)
    assert [row["kind"] for row in {f["name"]: f for f in first["fields"]}["title"]["rows"]] == ["added"]
