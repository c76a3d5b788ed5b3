"""The demo mutual learning (issue 7): practices at every state of the EIGE review (published,
some public, promising, in review with one review, submitted, returned, a draft) with their
translations (one out of date), a completed and a running pilot, the four STEP4GBV workshops held
with attendance, tests showing a knowledge gain, questionnaires and certificates, a webinar open
for registration and a training in draft; the pages open for the demo trainers and network
coordinators; loading twice adds nothing."""
import datetime

import pytest
from django.urls import reverse

from rete.conftest import client_for
from rete.core.demo import load_demo_network
from rete.core.models import User
from rete.learning import gain, translations
from rete.learning.demo import DEMO_INVITATION_TOKEN, invitation_path, load_demo_learning
from rete.learning.models import (
    EventStatus,
    FollowUpResponse,
    Pilot,
    PilotStatus,
    Practice,
    PracticeReview,
    PracticeStatus,
    Registration,
    RegistrationStatus,
    SatisfactionResponse,
    SessionAttendance,
    TestAttempt as KnowledgeTestAttempt,
    TrainingEvent,
)

pytestmark = pytest.mark.django_db

WORKSHOPS = {
    "aphvf": (datetime.date(2018, 3, 13), datetime.date(2018, 3, 14)),
    "demetra": (datetime.date(2018, 5, 29), datetime.date(2018, 5, 30)),
    "diaconia": (datetime.date(2018, 10, 16), datetime.date(2018, 10, 17)),
    "cipm": (datetime.date(2019, 2, 5), datetime.date(2019, 2, 7)),
}


def _load(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RETE_DEMO = True  # demo logins have no second factor yet
    load_demo_network()
    first = load_demo_learning()
    counts = (Practice.objects.count(), TrainingEvent.objects.count(), Registration.objects.count(),
              KnowledgeTestAttempt.objects.count(), Pilot.objects.count())
    second = load_demo_learning()
    assert (Practice.objects.count(), TrainingEvent.objects.count(), Registration.objects.count(),
            KnowledgeTestAttempt.objects.count(), Pilot.objects.count()) == counts
    assert first == second
    return first


def test_the_demo_learning(settings):
    """One load (it takes a while), every check."""
    logins = _load(settings)
    check_logins(logins)
    check_practices()
    check_pilots()
    check_workshops()
    check_webinar_and_draft()
    check_pages()


def check_logins(demo):
    emails = {email for email, *_rest in demo}
    assert {"trainer@aphvf.example", "trainer@diaconia.example", "trainer@demetra.example",
            "trainer@salvamamme.example"} == emails
    assert User.objects.filter(email="trainer@aphvf.example", memberships__role="trainer",
                               memberships__organisation__slug="aphvf").exists()


def check_practices():
    statuses = {p.organisation.slug + ":" + p.status for p in Practice.objects.select_related("organisation")}
    assert {"salvamamme:published", "demetra:published", "aphvf:promising", "diaconia:in_review", "cipm:submitted",
            "cy-police:returned", "salvamamme:draft"} == statuses
    published = Practice.objects.filter(status=PracticeStatus.PUBLISHED)
    assert published.filter(public=True).count() == 1
    assert published.get(organisation__slug="salvamamme").public
    for practice in published:
        assert PracticeReview.objects.filter(practice=practice).count() == 2
        assert practice.published_at.year == 2019
        assert practice.title_en and practice.source_language != "en"
    assert PracticeReview.objects.filter(practice__organisation__slug="diaconia").count() == 1
    # Reviewers never review their own organisation's practice.
    for review in PracticeReview.objects.select_related("practice", "reviewer"):
        assert not review.reviewer.memberships.filter(organisation=review.practice.organisation_id).exists()
    diaconia = Practice.objects.get(organisation__slug="diaconia")
    assert translations.stale_fields(diaconia.source_revisions, diaconia.translation_revisions, "en",
                                     {"title", "summary", "evidence"}) == ["summary", "evidence"]
    salvamamme = Practice.objects.get(organisation__slug="salvamamme", status=PracticeStatus.PUBLISHED)
    assert translations.stale_fields(salvamamme.source_revisions, salvamamme.translation_revisions, "en",
                                     {"title", "summary", "evidence"}) == []
    assert salvamamme.title_it.startswith("Valigia") and salvamamme.attachments.count() == 1


def check_pilots():
    completed = Pilot.objects.get(status=PilotStatus.COMPLETED)
    assert completed.organisation.slug == "demetra" and completed.practice.organisation.slug == "salvamamme"
    assert completed.starts_on == datetime.date(2019, 9, 2)
    measured = {i.measured_among for i in completed.indicators.all()}
    assert measured == {"professionals", "clients"}
    assert all(i.pre_value is not None and i.post_value is not None for i in completed.indicators.all())
    running = Pilot.objects.get(status=PilotStatus.RUNNING)
    assert running.organisation.slug == "diaconia" and running.practice.organisation.slug == "demetra"


def check_workshops():
    for host, (starts_on, ends_on) in WORKSHOPS.items():
        event = TrainingEvent.objects.get(host__slug=host, starts_on=starts_on)
        assert event.ends_on == ends_on and event.status == EventStatus.HELD
        assert event.languages[0] == "en" and len(event.languages) == 2 and event.interpretation
        registered = event.registrations.filter(status=RegistrationStatus.REGISTERED)
        assert 15 <= registered.count() <= 25
        assert registered.filter(user__isnull=False).exists() and registered.filter(user__isnull=True).exists()
        assert 4 <= event.test_items.count() <= 6
        sessions = event.sessions.count()
        assert SessionAttendance.objects.filter(session__event=event).count() == registered.count() * sessions
        assert {"present", "absent"} <= set(SessionAttendance.objects.filter(session__event=event)
                                             .values_list("status", flat=True))
        items = list(event.test_items.all())
        pairs = []
        for registration in registered:
            attempts = {a.phase: a for a in registration.test_attempts.all()}
            for attempt in attempts.values():
                assert (attempt.score, attempt.max_score) == gain.test_score(items, attempt.answers)
            if len(attempts) == 2:
                pairs.append((attempts["pre"].score, attempts["post"].score, attempts["pre"].max_score))
        figures = gain.event_gain(pairs)
        assert figures["n"] >= 10 and figures["mean_raw"] > 0.5
        assert SatisfactionResponse.objects.filter(registration__event=event).count() >= 10
        assert registered.exclude(follow_up_sent_at=None).count() == registered.count()
        assert registered.exclude(follow_up_reminded_at=None).exists()
        assert FollowUpResponse.objects.filter(registration__event=event).exists()
        certified = registered.exclude(certificate_code=None)
        assert 0 < certified.count() < registered.count()
        assert all(r.certificate_issued_at.date() > ends_on for r in certified)


def check_webinar_and_draft():
    webinar = TrainingEvent.objects.get(status=EventStatus.OPEN)
    assert webinar.online and webinar.starts_on > datetime.date.today()
    assert webinar.registrations.filter(user__isnull=True).count() >= 2
    assert webinar.registrations.filter(user__isnull=False).count() >= 2
    assert TrainingEvent.objects.filter(status=EventStatus.DRAFT).count() == 1
    path = invitation_path()
    assert DEMO_INVITATION_TOKEN in path
    assert client_for(None).get(path).status_code == 200


def check_pages():
    trainer = client_for(User.objects.get(email="trainer@cipm.example"))
    coordinator = client_for(User.objects.get(email="network-coordinator@enoros.example"))
    milan = TrainingEvent.objects.get(host__slug="cipm")
    for practice in Practice.objects.exclude(status=PracticeStatus.DRAFT):
        assert coordinator.get(reverse("learning:practice_detail", kwargs={"practice_id": practice.pk})).status_code == 200
    for client in (trainer, coordinator):
        assert client.get(reverse("learning:practice_list")).status_code == 200
        assert client.get(reverse("learning:event_list")).status_code == 200
        assert client.get(reverse("learning:pilot_list")).status_code == 200
    for path in (reverse("learning:event_detail", kwargs={"training_event_id": milan.pk}),
                 reverse("learning:event_results", kwargs={"training_event_id": milan.pk}),
                 reverse("learning:event_participants", kwargs={"training_event_id": milan.pk}),
                 reverse("learning:training_report") + f"?event={milan.pk}"):
        assert trainer.get(path).status_code == 200, path
    nicosia = client_for(User.objects.get(email="trainer@aphvf.example"))
    event = TrainingEvent.objects.get(host__slug="aphvf")
    assert nicosia.get(reverse("learning:event_results", kwargs={"training_event_id": event.pk})).status_code == 200
    assert coordinator.get(reverse("learning:review_queue")).status_code == 200
    pilot = Pilot.objects.get(status=PilotStatus.COMPLETED)
    demetra = client_for(User.objects.get(email="supervisor@demetra.example"))
    assert demetra.get(reverse("learning:pilot_detail", kwargs={"pilot_id": pilot.pk})).status_code == 200
    public = Practice.objects.get(public=True, status=PracticeStatus.PUBLISHED)
    assert client_for(None).get(reverse("learning_public:practice_detail",
                                        kwargs={"public_practice_id": public.pk})).status_code == 200
    # A participant who is a member sees her registration.
    registration = Registration.objects.filter(event=milan, user__isnull=False,
                                               status=RegistrationStatus.REGISTERED).first()
    assert client_for(registration.user).get(reverse("learning:my_registration",
                                                     kwargs={"registration_id": registration.pk})).status_code == 200
