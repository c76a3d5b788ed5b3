"""Information pages, the pages: the public list and page (language fallback, helplines, no
cookie, bounded queries) and the editors' side (matrix, editing with optimistic locking,
preview, submission, review, history), each reachable only by the editors of the country."""
import re

import pytest

from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import Role
from rete.portal.models import InfoPage, PageStatus, PageVersion
from rete.portal.services import pages as services
from rete.portal.tests.factories_pages import make_page, published_page
from rete.portal.tests.test_directory import assert_private_public_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def italian(network):
    """An Italian page published in Italian and English, with an Italian draft on top."""
    page, published, draft = make_page(network["content_editor"], network["network_coordinator"], slug="come-denunciare",
                                       language="it", title="Come denunciare")
    english = published_page(country="IT", slug="come-denunciare", language="en", title="How to report")[1]
    return {"page": page, "published": published, "draft": draft, "english": english}


# ---- public ----------------------------------------------------------------------------------

def test_public_page_in_her_language_with_helplines_and_links(client, italian):
    response = client.get(url("portal:info_page", lang="it", country="it", slug="come-denunciare"))
    html = assert_private_public_page(response)
    assert "<title>Come denunciare</title>" in html
    assert "Paragraph one." in html and "A new paragraph." not in html  # the draft is not shown
    assert 'href="tel:112"' in html and 'href="tel:1522"' in html
    assert "/it/directory/?country=IT" in html and url("portal:safe_contact", lang="it") in html
    assert 'hreflang="en"' in html  # also in English
    assert "not yet available in your language" not in html


def test_public_page_falls_back_to_english_with_a_notice(client, italian):
    response = client.get(url("portal:info_page", lang="cs", country="it", slug="come-denunciare"))
    html = assert_private_public_page(response)
    assert "How to report" in html and '<article class="info-page" lang="en">' in html
    assert 'hreflang="it"' in html and 'hreflang="en"' in html
    # Without English, another language.
    PageVersion.objects.filter(pk=italian["english"].pk).update(status=PageStatus.SUPERSEDED)
    html = assert_private_public_page(client.get(url("portal:info_page", lang="cs", country="it", slug="come-denunciare")))
    assert '<article class="info-page" lang="it">' in html


def test_public_page_404_without_a_published_version_or_in_another_form(client, network):
    services.page_create(by=network["content_editor"], country="IT", slug="only-a-draft", language="en", title="Draft",
                         body="Not public.")
    assert client.get(url("portal:info_page", country="it", slug="only-a-draft")).status_code == 404
    published_page(country="IT", slug="public-one")
    assert client.get(url("portal:info_page", country="it", slug="public-one")).status_code == 200
    assert client.get(url("portal:info_page", country="IT", slug="public-one")).status_code == 404
    assert client.get(url("portal:info_page", country="cy", slug="public-one")).status_code == 404
    assert client.get(url("portal:info_page", country="xx", slug="public-one")).status_code == 404


def test_public_page_view_is_counted_under_country_and_address(client, italian):
    from rete.portal.models import ReachCount

    client.get(url("portal:info_page", lang="it", country="it", slug="come-denunciare"))
    counter = ReachCount.objects.get(key="portal:info_page/IT/come-denunciare")
    assert (counter.country, counter.language, counter.count) == ("IT", "it", 1)


def test_index_lists_the_countrys_pages_with_professionals_apart(client, italian):
    published_page(country="IT", slug="for-teachers", title="For teachers")
    InfoPage.objects.filter(slug="for-teachers").update(for_professionals=True)
    published_page(country="CY", slug="cyprus-only", title="Cyprus only page")
    html = assert_private_public_page(client.get(url("portal:info_index", lang="it")))
    assert "Come denunciare" in html and "Cyprus only page" not in html
    general, professionals = html.split('id="info-professionals"')
    assert "For teachers" in professionals and "For teachers" not in general
    assert url("portal:info_page", lang="it", country="it", slug="come-denunciare") in html
    # English: she picks a country; nothing listed until she does.
    html = assert_private_public_page(client.get(url("portal:info_index")))
    assert "Come denunciare" not in html and "How to report" not in html
    for code in ("CY", "IT", "CZ", "BG"):
        assert f'href="?country={code}"' in html
    html = assert_private_public_page(client.get(url("portal:info_index") + "?country=IT"))
    assert "How to report" in html and 'aria-current="true">Italy' in html


def test_home_lists_the_visitors_country_pages(client, italian):
    html = assert_private_public_page(client.get(url("portal:home", lang="it")))
    assert "Come denunciare" in html
    html = assert_private_public_page(client.get(url("portal:home")))
    assert url("portal:info_index") in html and "How to report" not in html
    assert "How to report" in assert_private_public_page(client.get(url("portal:home") + "?country=IT"))


def test_public_queries_are_bounded(client, network, django_assert_max_num_queries):
    for number in range(6):
        page = published_page(country="IT", slug=f"page-{number}", language="it")[0]
        published_page(country="IT", slug=page.slug, language="en")
    with django_assert_max_num_queries(6):
        assert client.get(url("portal:info_index", lang="it")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(url("portal:home", lang="it")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(url("portal:info_page", lang="it", country="it", slug="page-3")).status_code == 200


# ---- editors: who reaches what ---------------------------------------------------------------

def editor_urls(italian):
    page, draft = italian["page"], italian["draft"]
    return [
        url("portal:editor_pages"), url("portal:editor_page_add"),
        url("portal:editor_page_edit", page_id=page.pk, language="it"),
        url("portal:editor_page_preview", page_id=page.pk, language="it"),
        url("portal:editor_page_history", page_id=page.pk, language="it"),
        url("portal:editor_page_version", page_version_id=draft.pk),
        url("portal:editor_page_review", page_version_id=draft.pk),
    ]


def test_it_checks_ownership(network, italian):
    for path in editor_urls(italian):
        for person in (network["content_editor"], network["network_coordinator"]):
            assert client_for(person).get(path).status_code == 200, path
        for person in (network["other_content_editor"], network["other_network_coordinator"], network.outsider,
                       network["caseworker"]):
            response = client_for(person).get(path)
            if path in (url("portal:editor_pages"), url("portal:editor_page_add")):
                # The Cypriot editors have their own (Cypriot) overview, without the Italian page.
                assert response.status_code == (200 if person in (network["other_content_editor"],
                                                                   network["other_network_coordinator"]) else 404), path
                assert "Come denunciare" not in response.content.decode()
            else:
                assert_denied(response)
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = italian["page"]
    other = client_for(network["other_content_editor"])
    for name in ("portal:editor_page_submit", "portal:editor_page_discard"):
        response = other.post(url(name, page_id=page.pk, language="it"),
                              {"draft": italian["draft"].pk, "version": italian["draft"].version})
        assert_denied(response)
    assert_denied(other.post(url("portal:editor_page_edit", page_id=page.pk, language="it"),
                             {"title": "x", "body": "y"}))
    assert_denied(other.post(url("portal:editor_page_review", page_version_id=italian["draft"].pk), {"decision": "publish"}))
    assert_denied(client_for(network["content_editor"]).get(url("portal:editor_page_edit", page_id=page.pk, language="de")))
    assert PageVersion.objects.get(pk=italian["draft"].pk).status == PageStatus.DRAFT


def test_the_matrix_shows_each_language_and_is_bounded(network, italian, django_assert_max_num_queries):
    editor = network["content_editor"]
    for number in range(5):
        make_page(editor, network["network_coordinator"], slug=f"extra-{number}", language="en")
    client = client_for(editor)
    client.get(url("portal:editor_pages"))  # warm the per-request caches of the session
    with django_assert_max_num_queries(10):
        response = client.get(url("portal:editor_pages"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "published v1" in html and "draft v2" in html and "missing" in html
    assert "<caption>Italy</caption>" in html
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_pages") + "?status=mine").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_pages") + "?status=in_review").status_code == 200


def test_filters_list_what_waits_for_her(network, italian):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = italian["draft"]
    html = client_for(editor).get(url("portal:editor_pages") + "?status=mine").content.decode()
    assert "Come denunciare" in html
    services.page_submit(by=editor, draft=draft, version=draft.version)
    assert "Come denunciare" not in client_for(editor).get(url("portal:editor_pages") + "?status=in_review").content.decode()
    html = client_for(coordinator).get(url("portal:editor_pages") + "?status=in_review").content.decode()
    assert "Come denunciare" in html and url("portal:editor_page_review", page_version_id=draft.pk) in html


# ---- editors: writing ------------------------------------------------------------------------

def test_add_a_page(network):
    client = client_for(network["content_editor"])
    data = {"country": "IT", "slug": "new-page", "position": "15", "language": "it", "title": "Nuova pagina",
            "summary": "", "body": "Testo.", "change_note": ""}
    response = client.post(url("portal:editor_page_add"), data)
    page = InfoPage.objects.get(country="IT", slug="new-page")
    assert response.status_code == 302 and response["Location"] == url("portal:editor_page_edit", page_id=page.pk, language="it")
    response = client.post(url("portal:editor_page_add"), data)
    assert response.status_code == 400 and "already has a page at this address" in response.content.decode()
    response = client.post(url("portal:editor_page_add"), {**data, "country": "CY", "slug": "cy-page"})
    assert response.status_code == 400  # not one of her countries
    assert not InfoPage.objects.filter(slug="cy-page").exists()


def test_edit_save_stale_submit_and_discard(network, italian):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    page, draft = italian["page"], italian["draft"]
    edit = url("portal:editor_page_edit", page_id=page.pk, language="it")
    client = client_for(editor)
    html = client.get(edit).content.decode()
    assert "A new paragraph." in html and f'name="version" value="{draft.version}"' in html
    form = {"draft": draft.pk, "version": draft.version, "title": "Come denunciare", "summary": "", "body": "Mine.",
            "change_note": ""}
    client_for(coordinator).post(edit, {**form, "body": "Theirs."})
    response = client.post(edit, form)
    html = response.content.decode()
    assert response.status_code == 409 and "Mine." in html and "Theirs." in html
    fresh = PageVersion.objects.get(pk=draft.pk)
    assert f'name="version" value="{fresh.version}"' in html
    assert client.post(edit, {**form, "version": fresh.version}).status_code == 302
    assert PageVersion.objects.get(pk=draft.pk).body == "Mine."
    assert client.post(edit, {**form, "title": ""}).status_code == 400
    response = client.post(edit, {**form, "version": fresh.version + 1, "body": "[x](https://example.org)"})
    assert response.status_code == 400 and "other sites" in response.content.decode()
    # Preview: exactly as visitors would see it, with the banner.
    html = client.get(url("portal:editor_page_preview", page_id=page.pk, language="it")).content.decode()
    assert "Preview – not published" in html and "Mine." in html and 'href="tel:1522"' in html
    # Submitting a stale form is refused; the current one goes.
    submit = url("portal:editor_page_submit", page_id=page.pk, language="it")
    assert client.post(submit, {"draft": draft.pk, "version": 1}).status_code == 409
    current = PageVersion.objects.get(pk=draft.pk)
    assert client.post(submit, {"draft": draft.pk, "version": current.version}).status_code == 302
    assert PageVersion.objects.get(pk=draft.pk).status == PageStatus.IN_REVIEW
    html = client.get(edit).content.decode()
    assert "is waiting for review" in html and 'name="body"' not in html
    # Discarding is for drafts only: a stale form answers 409.
    discard = url("portal:editor_page_discard", page_id=page.pk, language="it")
    assert client.post(discard, {"draft": draft.pk, "version": current.version + 1}).status_code == 409


def test_a_new_language_starts_from_the_english_text(network, italian):
    client = client_for(network["content_editor"])
    html = client.get(url("portal:editor_page_edit", page_id=italian["page"].pk, language="bg")).content.decode()
    assert "Translate from English" in html and "How to report" in html and 'lang="bg"' in html
    response = client.post(url("portal:editor_page_edit", page_id=italian["page"].pk, language="bg"),
                           {"draft": "", "version": "", "title": "Как да подадете сигнал", "body": "Текст.", "summary": "",
                            "change_note": "Превод"})
    assert response.status_code == 302
    assert PageVersion.objects.get(page=italian["page"], language="bg").status == PageStatus.DRAFT


def test_review_publish_and_return(network, italian, client):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    draft = italian["draft"]
    services.page_submit(by=editor, draft=draft, version=draft.version)
    review = url("portal:editor_page_review", page_version_id=draft.pk)
    # The author sees the version but cannot act, and is told why.
    html = client_for(editor).get(review).content.decode()
    assert "another editor of the country has to review it" in html and 'value="publish"' not in html
    assert client_for(editor).post(review, {"decision": "publish"}).status_code == 400
    html = client_for(coordinator).get(review).content.decode()
    assert "<ins>" in html and "Added:" in html and "A new paragraph." in html
    response = client_for(coordinator).post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "Say what should change" in response.content.decode()
    assert client_for(coordinator).post(review, {"decision": "return", "comment": "Cite the law."}).status_code == 302
    html = client_for(editor).get(url("portal:editor_page_edit", page_id=draft.page_id, language="it")).content.decode()
    assert "Cite the law." in html and "was returned with comments" in html
    # She fixes it (a new draft, version 3), submits; the coordinator publishes.
    edit = url("portal:editor_page_edit", page_id=draft.page_id, language="it")
    client_for(editor).post(edit, {"draft": "", "version": "", "title": "Come denunciare", "summary": "",
                                   "body": "Paragraph one.\n\nArt. 4 of the law.", "change_note": "Law cited"})
    third = PageVersion.objects.get(page=draft.page, language="it", number=3)
    assert "Cite the law." in client_for(editor).get(edit).content.decode()  # the comments stay visible
    client_for(editor).post(url("portal:editor_page_submit", page_id=draft.page_id, language="it"),
                            {"draft": third.pk, "version": third.version})
    response = client_for(coordinator).post(url("portal:editor_page_review", page_version_id=third.pk), {"decision": "publish"})
    assert response.status_code == 302
    html = client.get(url("portal:info_page", lang="it", country="it", slug="come-denunciare")).content.decode()
    assert "Art. 4 of the law." in html
    # History: every version, with status, authors, notes and comments; compare two of them.
    html = client_for(editor).get(url("portal:editor_page_history", page_id=draft.page_id, language="it")).content.decode()
    assert len(re.findall(r"Version \d</a>", html)) == 3
    assert "Returned with comments, then replaced by a later version" in html and "Cite the law." in html
    assert "Law cited" in html and "Published" in html and "Replaced by a later version" in html
    html = client_for(editor).get(url("portal:editor_page_version", page_version_id=third.pk) + "?compare=1").content.decode()
    assert "Changes from version 1 to version 3" in html and "<del>" in html or "Removed:" in html
    response = client_for(editor).get(url("portal:editor_page_version", page_version_id=third.pk) + "?compare=99")
    assert response.status_code == 200 and "no other version with that number" in response.content.decode()
    response = client_for(editor).get(url("portal:editor_page_version", page_version_id=third.pk) + "?compare=abc")
    assert response.status_code == 200


def test_history_and_version_pages_are_bounded(network, italian, django_assert_max_num_queries):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    page = italian["page"]
    draft = italian["draft"]
    for number in range(4):
        draft = services.page_submit(by=editor, draft=draft, version=draft.version)
        services.page_publish(by=coordinator, version=draft, notify=False)
        draft = services.page_draft_save(by=editor, page=page, language="it", title=f"Title {number}", body=f"Body {number}")
    client = client_for(editor)
    client.get(url("portal:editor_pages"))
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_page_history", page_id=page.pk, language="it")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_page_edit", page_id=page.pk, language="it")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_page_review", page_version_id=draft.pk)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_page_version", page_version_id=draft.pk) + "?compare=1").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("portal:editor_page_preview", page_id=page.pk, language="it")).status_code == 200


def test_a_second_editor_can_start_the_returned_versions_next_draft(network, italian):
    """Any editor of the country may continue; she is then a contributor and cannot review."""
    second = make_user("second@home.example", roles=[Role.CONTENT_EDITOR], organisation=network.home)
    editor = network["content_editor"]
    draft = italian["draft"]
    submitted = services.page_submit(by=editor, draft=draft, version=draft.version)
    services.page_return(by=second, version=submitted, comment="Shorter.", notify=False)
    client = client_for(second)
    client.post(url("portal:editor_page_edit", page_id=draft.page_id, language="it"),
                {"draft": "", "version": "", "title": "Come denunciare", "summary": "", "body": "Short.", "change_note": ""})
    third = PageVersion.objects.get(page=draft.page, language="it", number=3)
    third = services.page_submit(by=second, draft=third, version=third.version)
    assert services.review_refusal(user=second, version=third)
    assert services.review_refusal(user=network["network_coordinator"], version=third) == ""
