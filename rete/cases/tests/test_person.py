import pytest
from django.db import connection

from rete.cases.models import Person
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role


def details(person, **changes):
    values = {"version": person.version, "given_name": person.given_name, "family_name": person.family_name, "birth_year": person.birth_year or "",
              "language": "it", "safe_to_contact": "yes", "safe_phone": "+00 555 111222", "code_word": "Girasole-Qx7"}
    values.update(changes)
    return values


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home, given_name="Maria", family_name="Example", birth_year=1990)


@pytest.mark.django_db
def test_her_details_are_corrected_encrypted_and_audited_by_field_name(network, case):
    client = client_for(network[Role.CASEWORKER])
    page = client.get(url("cases:person_edit", pk=case.pk)).content.decode()
    assert 'value="Maria"' in page and AuditEvent.objects.filter(action="case.viewed").exists()
    response = client.post(url("cases:person_edit", pk=case.pk), details(case.person, family_name="Rossi"))
    assert response.status_code == 302
    person = Person.objects.get(pk=case.person.pk)
    assert person.family_name == "Rossi" and person.code_word == "Girasole-Qx7" and person.version == 2
    # The duplicate check follows the new name.
    from rete.cases import services

    assert person.name_index == services.person_indexes(given_name="Maria", family_name="Rossi", birth_year=1990).name_index
    event = AuditEvent.objects.get(action="case.person_updated")
    assert "family_name" in event.detail["fields"] and "Girasole" not in str(event.detail) and "Rossi" not in str(event.detail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_word FROM cases_person WHERE id = %s", [person.pk])
        assert "Girasole" not in cursor.fetchone()[0]
    assert "Her details corrected" in client.get(url("cases:case_detail", pk=case.pk)).content.decode()


@pytest.mark.django_db
def test_bad_input_keeps_what_she_typed_and_a_stale_save_shows_both(network, case):
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:person_edit", pk=case.pk), details(case.person, given_name="", birth_year="2999"))
    assert response.status_code == 400 and "Girasole-Qx7" in response.content.decode()
    stale = details(case.person, family_name="Bianchi")
    assert client.post(url("cases:person_edit", pk=case.pk), details(case.person, family_name="Rossi")).status_code == 302
    response = client.post(url("cases:person_edit", pk=case.pk), stale)
    page = response.content.decode()
    assert response.status_code == 409 and "Bianchi" in page and "Rossi" in page
    assert Person.objects.get(pk=case.person.pk).family_name == "Rossi"


@pytest.mark.django_db
def test_it_checks_ownership(network, case):
    for intruder in (network["other_caseworker"], network[Role.POLICE_OFFICER], network.outsider):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:person_edit", pk=case.pk)))
        assert_denied(client.post(url("cases:person_edit", pk=case.pk), details(case.person, family_name="X")))
    assert Person.objects.get(pk=case.person.pk).family_name == "Example"
