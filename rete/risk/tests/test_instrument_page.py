"""The instruments page: what her organisations may use; an organisation admin loads her
organisation's licensed instrument (password again), every problem shown with its location,
nothing kept on a problem, audited."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rete.conftest import assert_denied, client_for, reauthenticated, url
from rete.core.models import AuditEvent, Role
from rete.risk.models import Instrument
from rete.risk.tests import fixtures
from rete.risk.tests.history_helpers import load

pytestmark = pytest.mark.django_db


def page(user, lang="en"):
    return client_for(user).get(url("risk:instrument_list", lang=lang))


def upload(client, organisation, content, name="mine.yaml"):
    return client.post(url("risk:instrument_list"), {"organisation": organisation.pk, "file": SimpleUploadedFile(name, content)})


def yaml_of(name="gate-11", **changes):
    text = fixtures.path(name).read_text(encoding="utf-8")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text.encode()


def admin_client(network):
    admin = network[Role.ORG_ADMIN]
    return reauthenticated(client_for(admin), admin), admin


def test_lists_shipped_and_own_instruments(network):
    load("count-24")
    load("weighted-20", organisation=network.other)
    response = page(network[Role.CASEWORKER])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test count (24 items)" in html and "test-count-24" in html and "version 1" in html
    assert "<td>24</td>" in html and "Shipped with Rete" in html and "Invented for Rete" in html  # items count, licence
    assert "test-weighted-20" not in html  # another organisation's own instrument
    assert "test-weighted-20" in page(network["other_caseworker"]).content.decode()
    assert "Test conteggio (24 voci)" in page(network[Role.CASEWORKER], lang="it").content.decode()
    # Only the newest version of a code is listed.
    load("count-24", version=2)
    assert page(network[Role.CASEWORKER]).content.decode().count("test-count-24</code>") == 1
    assert "version 2" in page(network[Role.CASEWORKER]).content.decode()


def test_who_sees_the_page(network):
    for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.ORG_ADMIN, Role.NETWORK_COORDINATOR):
        assert page(network[role]).status_code == 200
    for role in (Role.TRAINER, Role.DPO, Role.FACILITATOR, Role.CONTENT_EDITOR):
        assert_denied(page(network[role]))
    # The upload form is for organisation admins only.
    assert 'enctype="multipart/form-data"' in page(network[Role.ORG_ADMIN]).content.decode()
    assert 'enctype="multipart/form-data"' not in page(network[Role.CASEWORKER]).content.decode()


def test_admin_loads_her_organisations_instrument(network):
    client, admin = admin_client(network)
    response = upload(client, network.home, yaml_of("gate-11"))
    assert response.status_code == 302
    instrument = Instrument.objects.get(code="test-gate-11")
    assert instrument.organisation == network.home and instrument.loaded_by == admin and instrument.version == 1
    event = AuditEvent.objects.get(action="risk.instrument_loaded", actor=admin)
    assert event.actor == admin and event.detail == {"code": "test-gate-11", "version": 1, "organisation": "home"}
    listed = client.get(url("risk:instrument_list")).content.decode()
    assert "Loaded test-gate-11 version 1" in listed and "Home Support Centre" in listed
    # JSON works too.
    import json

    definition = fixtures.definition("judgement-20")
    response = upload(client, network.home, json.dumps(definition).encode(), name="sj.json")
    assert response.status_code == 302 and Instrument.objects.filter(code="test-judgement-20", organisation=network.home).exists()


def test_every_problem_is_shown_with_its_location_and_nothing_is_kept(network):
    client, _admin = admin_client(network)
    broken = yaml_of("count-24", **{"agency: risk_conference": "agency: the_moon", "scheme: yes_no_unknown, text: {en: \"Counted question 3":
                                    "scheme: yes_no_maybe, text: {en: \"Counted question 3"})
    response = upload(client, network.home, broken)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file was not loaded: 2 problems." in html
    assert "sections[0].items[2].scheme" in html and "bands[1].actions[0].agency" in html
    assert not Instrument.objects.filter(organisation=network.home).exists()
    assert not AuditEvent.objects.filter(action="risk.instrument_loaded", actor=_admin).exists()


def test_unreadable_file_is_located(network):
    client, _admin = admin_client(network)
    response = upload(client, network.home, b"code: x\nversion: [1\n")
    assert response.status_code == 400 and "line " in response.content.decode()
    response = upload(client, network.home, b"\xff\xfe not text")
    assert response.status_code == 400


def test_too_big_wrong_name_lower_version(network):
    client, _admin = admin_client(network)
    big = yaml_of("gate-11") + b"#" * (512 * 1024)
    response = upload(client, network.home, big)
    assert response.status_code == 400 and "larger than 512 KB" in response.content.decode()
    response = upload(client, network.home, yaml_of("gate-11"), name="mine.txt")
    assert response.status_code == 400
    assert upload(client, network.home, yaml_of("gate-11")).status_code == 302
    response = upload(client, network.home, yaml_of("gate-11"))
    assert response.status_code == 400 and "not higher than the version already loaded" in response.content.decode()
    # A code Rete ships cannot be taken over by an organisation.
    load("count-24")
    response = upload(client, network.home, yaml_of("count-24", **{"version: 1": "version: 5"}))
    assert response.status_code == 400 and Instrument.objects.filter(code="test-count-24").count() == 1
    assert Instrument.objects.filter(organisation=network.home).count() == 1


def test_upload_needs_the_password_again_and_the_admin_role(network):
    admin = network[Role.ORG_ADMIN]
    response = upload(client_for(admin), network.home, yaml_of("gate-11"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not Instrument.objects.filter(code="test-gate-11").exists()
    worker = network[Role.CASEWORKER]
    assert_denied(upload(reauthenticated(client_for(worker), worker), network.home, yaml_of("gate-11")))
    # An admin elsewhere cannot load for this organisation: the choice is not offered.
    outsider = network.outsider
    response = upload(reauthenticated(client_for(outsider), outsider), network.home, yaml_of("gate-11"))
    assert response.status_code == 400 and not Instrument.objects.filter(code="test-gate-11").exists()
    assert upload(reauthenticated(client_for(outsider), outsider), network.other, yaml_of("gate-11")).status_code == 302
    assert Instrument.objects.get(code="test-gate-11").organisation == network.other
