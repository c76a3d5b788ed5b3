"""The public portal's pages of good practices (views/review.py): only published practices whose
owners chose the portal, in the visitor's language with a note when shown in another, without
the contact or the files, searchable and filtered, in a bounded number of queries."""
import pytest

from rete.conftest import assert_denied, client_for, url
from rete.learning.models import PracticeStatus
from rete.learning.services import practices as practice_services
from rete.learning.services import review as services
from rete.learning.tests.factories import make_practice
from rete.learning.tests.factories_review import in_review, published

pytestmark = pytest.mark.django_db


def _detail(practice, lang="en"):
    return url("learning_public:practice_detail", lang=lang, public_practice_id=practice.pk)


def test_only_published_practices_their_owners_chose_are_public(network):
    visitor = client_for(None)
    draft = make_practice(network["caseworker"], network.home, public=True)
    reviewing = in_review(network, public=True)
    network_only = published(network, public=False)
    public = published(network, public=True)
    for practice in (draft, reviewing, network_only):
        assert_denied(visitor.get(_detail(practice)))
        assert_denied(client_for(network["network_coordinator"]).get(_detail(practice)))
    assert_denied(visitor.get(url("learning_public:practice_detail", public_practice_id=999999)))
    response = visitor.get(_detail(public))
    assert response.status_code == 200
    listing = visitor.get(url("learning_public:practice_list"))
    assert [row["practice"].pk for row in listing.context["rows"]] == [public.pk]
    # Withdrawn: gone from the portal.
    services.practice_withdraw(by=network["other_network_coordinator"], practice=public, reason="Closed.")
    assert_denied(visitor.get(_detail(public)))
    assert visitor.get(url("learning_public:practice_list")).context["rows"] == []


def test_the_public_page_shows_the_practice_not_the_contact_nor_the_files(network):
    practice = published(network, public=True)
    from rete.learning.models import PracticeAttachment

    PracticeAttachment.objects.create(practice=practice, title="Internal kit list", filename="kit.pdf",
                                      content_type="application/pdf", size=3, content=b"pdf",
                                      uploaded_by=network["caseworker"])
    response = client_for(None).get(_detail(practice))
    page = response.content.decode()
    assert "Safety luggage for women leaving home" in page and "Two caseworkers" in page
    assert network.home.name in page
    assert "Anna Example" not in page and "anna@example.org" not in page  # the contact
    assert "Internal kit list" not in page and "kit.pdf" not in page
    assert "Test Trainer" not in page  # nothing of the review
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_texts_in_the_visitors_language_with_a_note_otherwise(network):
    practice = published(network, public=True)
    practice_services.practice_translate(by=network["caseworker"], practice=practice, version=practice.version,
                                         language="it", texts_by_field={"title": "Valigia di sicurezza"})
    page = client_for(None).get(_detail(practice, "it")).content.decode()
    assert "Valigia di sicurezza" in page
    assert 'lang="en"' in page  # the summary, not translated, is shown in English with a note
    assert "translation-note" in page
    english = client_for(None).get(_detail(practice, "en")).content.decode()
    assert "translation-note" not in english


def test_search_and_filters(network):
    luggage = published(network, public=True)
    group = published(network, organisation=network.other, public=True, pillar="prevention",
                      texts={"title": "Men's group in Nicosia", "summary": "Group work with perpetrators.",
                             "description": "Weekly sessions."},
                      target_groups=("perpetrators",), violence_forms=("domestic",))
    visitor = client_for(None)
    path = url("learning_public:practice_list")

    def found(**query):
        response = visitor.get(path, query)
        assert response.status_code == 200
        return {row["practice"].pk for row in response.context["rows"]}

    assert found() == {luggage.pk, group.pk}
    assert found(q="luggage") == {luggage.pk}
    assert found(country="CY") == {group.pk}
    assert found(pillar="protection") == {luggage.pk}
    assert found(target_group="perpetrators") == {group.pk}
    assert found(violence_form="intimate_partner") == {luggage.pk}
    assert found(q="nothing-like-this") == set()
    response = visitor.get(path, {"country": "XX", "q": "group"})
    assert response.status_code == 400 and b"group" in response.content


def test_the_list_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    visitor = client_for(None)
    path = url("learning_public:practice_list")
    published(network, public=True)
    visitor.get(path)  # the portal's page-view counter makes its row on the first view of the day
    with django_assert_max_num_queries(6):
        assert len(visitor.get(path).context["rows"]) == 1
    for _ in range(9):
        published(network, public=True)
    with django_assert_max_num_queries(6):
        response = visitor.get(path, {"violence_form": "intimate_partner"})
    assert len(response.context["rows"]) == 10


def test_the_page_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    practice = published(network, public=True)
    client_for(None).get(_detail(practice))  # the page-view counter's first view of the day
    with django_assert_max_num_queries(8):
        assert client_for(None).get(_detail(practice)).status_code == 200
    assert practice.status == PracticeStatus.PUBLISHED
