"""Personas and helpers shared by every test (healthchecks-style: one per role in a home
organisation, the same in another organisation, an outsider, an anonymous visitor)."""
import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client

from rete.core import crypto
from rete.core.models import Membership, Organisation, Role, User

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery staple"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RETE_DEMO = False


def make_organisation(slug, *, country="IT", name=None, languages=("it",)):
    return Organisation.objects.create(
        slug=slug, name=name or f"{slug.title()} Centre", short_name=slug.title(), country=country,
        kinds=["victim_support"], languages=list(languages), region="Region", city="City",
    )


def make_user(email, *, roles=(), organisation=None, mfa=True, password=PASSWORD, **extra):
    user = User.objects.create_user(email=email, password=password, first_name=extra.pop("first_name", "Test"),
                                    last_name=extra.pop("last_name", email.split("@")[0].title()), **extra)
    for role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    if mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": crypto.encrypt(TOTP_SECRET)})
    return user


class Network:
    """Two organisations with a person in every role each, an outsider and a superuser."""

    def __init__(self):
        self.home = make_organisation("home", name="Home Support Centre")
        self.other = make_organisation("other", name="Other Support Centre", country="CY", languages=("el", "en"))
        self.people = {}
        for role in Role.values:
            self.people[role] = make_user(f"{role}@home.example", roles=[role], organisation=self.home)
            self.people[f"other_{role}"] = make_user(f"{role}@other.example", roles=[role], organisation=self.other)
        # The outsider holds the strongest roles, but in the other organisation only.
        self.outsider = make_user("outsider@other.example", roles=[Role.ORG_ADMIN, Role.DPO], organisation=self.other)
        self.superuser = make_user("root@rete.example", is_superuser=True, is_staff=True)

    def __getitem__(self, role):
        return self.people[role]


@pytest.fixture
def network(db):
    return Network()


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def as_user():
    return client_for


def assert_denied(response):
    """The one way to check a refusal: a 404, exactly like a record that does not exist."""
    assert response.status_code == 404, f"expected 404, got {response.status_code}"


def reauthenticated(client, user):
    """As if the person had just typed her password again (allauth's re-authentication)."""
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def url(name, lang="en", **kwargs):
    """reverse() in a given language (URLs carry the language prefix)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(lang):
        return reverse(name, kwargs=kwargs)
