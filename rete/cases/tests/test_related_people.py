import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.cases import services
from rete.cases.models import CaseActivity, RelatedPerson
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role

SENTINEL = "Quillon-5e9a"


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home)


def _child(**extra):
    data = {"name": "Luca " + SENTINEL, "relationship": "child", "birth_year": str(timezone.localdate().year - 7), "sex": "male",
            "cohabiting": "yes", "needs": "School transfer " + SENTINEL, "notes": ""}
    data.update(extra)
    return data


def _perpetrator(**extra):
    data = {"name": "Marco", "relationship": "former_partner", "birth_year": "1980", "sex": "male", "cohabiting": "no",
            "weapons_access": "yes", "known_to_police": "unknown", "notes": ""}
    data.update(extra)
    return data


# ---- pages: the happy path ------------------------------------------------------------------


@pytest.mark.django_db
def test_add_a_child_and_a_perpetrator_through_the_pages(network, case):
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:related_add", pk=case.pk) + "?kind=child", _child())
    assert response.status_code == 302
    response = client.post(url("cases:related_add", pk=case.pk) + "?kind=perpetrator", _perpetrator())
    assert response.status_code == 302
    child = RelatedPerson.objects.get(kind="child")
    assert child.name == "Luca " + SENTINEL and child.cohabiting == "yes" and child.created_by == network[Role.CASEWORKER]
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Luca " + SENTINEL in page and "School transfer " + SENTINEL in page
    assert "about 7 years old" in page
    assert "Former partner or spouse" in page
    assert "Warning: access to weapons." in page
    assert "panel-warning" in page
    # Timeline: the kind, never the name.
    texts = [a.text for a in CaseActivity.objects.filter(case=case, kind="related_person")]
    assert sorted(texts) == ["(Alleged) perpetrator", "Child"]
    assert "Related person recorded" in page
    events = AuditEvent.objects.filter(action="case.related_person_added").order_by("seq")
    assert [e.detail["kind"] for e in events] == ["child", "perpetrator"]
    assert events[0].detail["related"] == child.pk
    assert SENTINEL not in str([e.detail for e in AuditEvent.objects.all()])


@pytest.mark.django_db
def test_the_form_asks_only_what_applies_to_the_kind(network, case):
    client = client_for(network[Role.CASEWORKER])
    child_page = client.get(url("cases:related_add", pk=case.pk) + "?kind=child").content.decode()
    assert 'name="needs"' in child_page and 'name="weapons_access"' not in child_page and 'name="known_to_police"' not in child_page
    perpetrator_page = client.get(url("cases:related_add", pk=case.pk) + "?kind=perpetrator").content.decode()
    assert 'name="weapons_access"' in perpetrator_page and 'name="known_to_police"' in perpetrator_page and 'name="needs"' not in perpetrator_page
    chooser = client.get(url("cases:related_add", pk=case.pk))
    assert chooser.status_code == 200 and "?kind=dependant" in chooser.content.decode()
    assert client.get(url("cases:related_add", pk=case.pk) + "?kind=nonsense").status_code == 400


@pytest.mark.django_db
def test_fields_that_do_not_apply_are_ignored_by_the_service(network, case):
    worker = network[Role.CASEWORKER]
    child = services.related_person_add(by=worker, case=case, kind="child", name="A", relationship="child",
                                        weapons_access="yes", known_to_police="yes", needs="school")
    assert child.weapons_access == "unknown" and child.known_to_police == "unknown" and child.needs == "school"
    perpetrator = services.related_person_add(by=worker, case=case, kind="perpetrator", relationship="partner",
                                              weapons_access="yes", needs="should be ignored")
    assert perpetrator.weapons_access == "yes" and perpetrator.needs == ""
    with pytest.raises(services.CaseError):
        services.related_person_add(by=worker, case=case, kind="cousin", relationship="other")
    with pytest.raises(services.CaseError):
        services.related_person_add(by=worker, case=case, kind="child", relationship="child", birth_year=1850)


# ---- bad input, stale edits ----------------------------------------------------------------


@pytest.mark.django_db
def test_bad_input_is_refused_with_the_data_kept(network, case):
    client = client_for(network[Role.CASEWORKER])
    add = url("cases:related_add", pk=case.pk) + "?kind=child"
    response = client.post(add, _child(birth_year="2999", notes="keep-these-notes"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be in the future" in page and "keep-these-notes" in page and "Luca " + SENTINEL in page
    response = client.post(add, _child(birth_year="1850"))
    assert response.status_code == 400
    # A stranger is not a relationship offered for a child.
    assert client.post(add, _child(relationship="stranger")).status_code == 400
    response = client.post(url("cases:related_add", pk=case.pk) + "?kind=perpetrator", _perpetrator(weapons_access="maybe"))
    assert response.status_code == 400
    assert not RelatedPerson.objects.exists()


@pytest.mark.django_db
def test_a_stale_edit_is_refused_with_both_versions_shown(network, case):
    worker = network[Role.CASEWORKER]
    related = services.related_person_add(by=worker, case=case, kind="perpetrator", name="Marco", relationship="partner", cohabiting="yes")
    edit = url("cases:related_edit", pk=case.pk, related_id=related.pk)
    client = client_for(worker)
    page = client.get(edit)
    assert page.status_code == 200 and 'value="Marco"' in page.content.decode()
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).exists()
    # A colleague saves first.
    services.related_person_update(by=worker, case=case, related_id=related.pk, version=related.version,
                                   **{**_perpetrator(), "name": "Marco Saved", "birth_year": 1980})
    response = client.post(edit, {**_perpetrator(name="Marco Mine", notes="my-own-notes"), "version": related.version})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this record" in body
    assert "Marco Saved" in body and "Marco Mine" in body and "my-own-notes" in body
    assert f'name="version" value="{related.version + 1}" id="id_version"' in body
    assert body.count('id="id_version"') == 1
    assert RelatedPerson.objects.get().name == "Marco Saved"
    # Saved again knowingly, with the version she was shown.
    response = client.post(edit, {**_perpetrator(name="Marco Mine"), "version": related.version + 1})
    assert response.status_code == 302 and RelatedPerson.objects.get().name == "Marco Mine"
    event = AuditEvent.objects.filter(action="case.related_person_updated").last()
    assert event.detail["related"] == related.pk and "name" in event.detail["fields"] and "Marco" not in str(event.detail)
    # Bad input on the edit page: 400, data kept.
    response = client.post(edit, {**_perpetrator(name="Typed", birth_year="3000"), "version": related.version + 2})
    assert response.status_code == 400 and 'value="Typed"' in response.content.decode()


@pytest.mark.django_db
def test_ending_keeps_the_record(network, case):
    worker = network[Role.CASEWORKER]
    related = services.related_person_add(by=worker, case=case, kind="child", name="Sara", relationship="child", cohabiting="yes")
    client = client_for(worker)
    end = url("cases:related_end", pk=case.pk, related_id=related.pk)
    assert client.post(end, {"version": related.version + 5}).status_code == 409
    assert client.post(end, {}).status_code == 400
    assert client.post(end, {"version": related.version}).status_code == 302
    related.refresh_from_db()
    assert related.ended_at is not None and RelatedPerson.objects.count() == 1
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "1 person no longer part of her situation" in page and "No children or dependants recorded." in page
    assert client.post(end, {"version": related.version}).status_code == 400
    assert AuditEvent.objects.filter(action="case.related_person_ended", detail__related=related.pk).exists()
    assert client.get(end).status_code == 405


# ---- who may reach it ------------------------------------------------------------------------


@pytest.mark.django_db
def test_other_organisations_get_404_on_every_url(network, case):
    related = services.related_person_add(by=network[Role.CASEWORKER], case=case, kind="child", relationship="child")
    other_case = open_case(network["other_caseworker"], network.other)
    foreign = services.related_person_add(by=network["other_caseworker"], case=other_case, kind="child", relationship="child", name="Foreign")
    for intruder in (network["other_caseworker"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:related_add", pk=case.pk) + "?kind=child"))
        assert_denied(client.post(url("cases:related_add", pk=case.pk) + "?kind=child", _child()))
        assert_denied(client.get(url("cases:related_edit", pk=case.pk, related_id=related.pk)))
        assert_denied(client.post(url("cases:related_edit", pk=case.pk, related_id=related.pk), {**_child(), "version": 1}))
        assert_denied(client.post(url("cases:related_end", pk=case.pk, related_id=related.pk), {"version": 1}))
    # Someone else's related person cannot be reached through one's own case.
    client = client_for(network[Role.CASEWORKER])
    assert_denied(client.get(url("cases:related_edit", pk=case.pk, related_id=foreign.pk)))
    assert_denied(client.post(url("cases:related_edit", pk=case.pk, related_id=foreign.pk), {**_child(), "version": 1}))
    assert_denied(client.post(url("cases:related_end", pk=case.pk, related_id=foreign.pk), {"version": 1}))
    assert RelatedPerson.objects.get(pk=foreign.pk).name == "Foreign" and RelatedPerson.objects.get(pk=foreign.pk).ended_at is None


@pytest.mark.django_db
def test_names_needs_and_notes_are_encrypted_at_rest(network, case):
    services.related_person_add(by=network[Role.CASEWORKER], case=case, kind="child", relationship="child",
                                name=SENTINEL, needs=SENTINEL, notes=SENTINEL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, needs, notes FROM cases_relatedperson")
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
        cursor.execute("SELECT detail FROM core_auditevent")
        audit_raw = " ".join(str(row[0]) for row in cursor.fetchall())
    assert SENTINEL not in raw and SENTINEL not in audit_raw
    assert RelatedPerson.objects.get().name == SENTINEL


# ---- the case page stays bounded ----------------------------------------------------------------


def _page_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_case_page_queries_do_not_grow_with_people_and_documents(network, case, django_assert_max_num_queries):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    path = url("cases:case_detail", pk=case.pk)
    services.related_person_add(by=worker, case=case, kind="child", name="One", relationship="child", birth_year=2015)
    services.attachment_add(by=worker, case=case, filename="one.txt", data=b"one\n")
    client.get(path)
    few = _page_queries(client, path)
    for i in range(8):
        services.related_person_add(by=worker, case=case, kind="child", name=f"Child {i}", relationship="child", birth_year=2010 + i)
        services.related_person_add(by=worker, case=case, kind="perpetrator", name=f"P {i}", relationship="partner", weapons_access="yes")
        services.attachment_add(by=worker, case=case, filename=f"doc-{i}.pdf", data=b"%PDF-1.4 doc " + str(i).encode(), description=f"d{i}")
    ended = services.related_person_add(by=worker, case=case, kind="dependant", name="Gone", relationship="parent")
    services.related_person_end(by=worker, case=case, related_id=ended.pk, version=ended.version)
    many = _page_queries(client, path)
    assert many == few
    with django_assert_max_num_queries(40):
        page = client.get(path).content.decode()
    assert "Child 7" in page and "doc-7.pdf" in page and "P 7" in page
