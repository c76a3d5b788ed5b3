"""Every public page of the portal with a concrete address, for the tests that walk them all
(no cookie, nothing from elsewhere, axe clean in five languages). A part of the portal whose
public URLs take arguments adds a provider that creates a published object and returns the URL
keyword values (e.g. {"country": "it", "slug": "reporting"})."""
from rete.core.tests.urlwalk import build, named_patterns

PROVIDERS = []


def provider(fn):
    PROVIDERS.append(fn)
    return fn


def public_url_names() -> list[str]:
    """The named URLs whose view is a public page (rete.core.decorators.public_page)."""
    return sorted({name for name, pattern in named_patterns()
                   if name.startswith("portal:") and getattr(pattern.callback, "rete_public", False)})


def public_paths() -> list[str]:
    """Creates what the providers need (call inside a test with the database) and builds every
    public page's path, in English."""
    values = {}
    for fn in PROVIDERS:
        values.update(fn())
    return [build(name, values) for name in public_url_names()]


# The providers of the parts that have them register by being imported here.
from rete.portal.tests import public_values_parts  # noqa: E402, F401
