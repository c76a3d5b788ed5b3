"""The demo protocols: Milan (Italian with English, version 1 adopted, version 2 circulating
with two comments) and Nicosia (English with Greek, adopted, review due); loading twice changes
nothing."""
import pytest
from django.utils import timezone

from rete.core.demo import load_demo_network
from rete.core.models import Organisation
from rete.network.demo import load_demo_protocols
from rete.network.models import (
    SECTION_FIELDS,
    Pathway,
    Protocol,
    ProtocolComment,
    ProtocolParty,
    ProtocolVersion,
    SharingRule,
    VersionStatus,
)
from rete.network.selectors.lifecycle import review_due

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (Organisation, Protocol, ProtocolVersion, ProtocolParty, ProtocolComment,
                                                Pathway, SharingRule)]


def test_the_demo_protocols_load_once_and_read_as_real_ones():
    load_demo_network()
    logins = load_demo_protocols()
    assert len(logins) == 6 and all(email.endswith(".example") for email, *_rest in logins)
    before = counts()
    load_demo_protocols()
    assert counts() == before

    milan = Protocol.objects.get(organisation__slug="cipm")
    first, second = milan.versions.order_by("number")
    assert first.status == VersionStatus.ADOPTED and first.review_date > timezone.localdate()
    assert second.status == VersionStatus.CIRCULATING and second.comments_until > timezone.localdate()
    for field in SECTION_FIELDS:
        assert getattr(first, f"{field}_it").strip() and getattr(first, f"{field}_en").strip()
    assert {p.organisation.slug for p in first.parties.all()} == {"cipm", "milano-cav", "milano-sociali", "milano-police",
                                                                  "milano-ospedale"}
    assert all(p.signed_off_at and p.signatory_name for p in first.parties.all())
    entry_points = {p.entry_point for p in first.pathways.all()}
    assert {"police", "health", "social_services", "support_centre"} <= entry_points
    assert first.pathways.filter(urgent=True).exists()
    assert first.pathways.filter(steps__time_limit_hours=72).exists()
    assert ProtocolComment.objects.filter(version=second).count() == 2
    assert second.parties.filter(signed_off_at__isnull=False).count() == 1

    nicosia = Protocol.objects.get(organisation__slug="enoros")
    (version,) = nicosia.versions.all()
    assert version.status == VersionStatus.ADOPTED and version.source_language == "en"
    assert version.purpose_el.strip() and nicosia.title_el.strip()
    assert {p.organisation.slug for p in version.parties.all()} == {"enoros", "aphvf", "cy-police", "nicosia-welfare"}
    assert review_due(version=version, today=timezone.localdate()) == "due"


def test_the_milan_protocol_prints_in_italian():
    import io

    from pypdf import PdfReader

    from rete.core.documents import render_pdf
    from rete.core.models import User
    from rete.network.selectors.lifecycle import protocol_document
    from rete.network.selectors.protocols import version_get

    load_demo_network()
    load_demo_protocols()
    coordinator = User.objects.get(email="network-coordinator@cipm.example")
    adopted = ProtocolVersion.objects.get(protocol__organisation__slug="cipm", status=VersionStatus.ADOPTED)
    version = version_get(user=coordinator, version_id=adopted.pk)
    context = protocol_document(version=version, language="it")
    context.update(printed_by=coordinator, printed_at=timezone.localtime())
    pdf = render_pdf("documents/protocol.html", context, language="it")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Laura Esposito" in text and "Centro antiviolenza Esempio Milano" in text
