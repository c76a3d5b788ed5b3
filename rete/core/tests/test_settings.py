"""Production settings refuse unsafe configurations before serving anything."""
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

GOOD = {
    "RETE_ENV": "production",
    "SECRET_KEY": "s" * 64,
    "RETE_FIELD_KEYS": Fernet.generate_key().decode(),
    "RETE_INDEX_KEY": "i" * 48,
    "ALLOWED_HOSTS": "rete.example.org",
    "DJANGO_SETTINGS_MODULE": "rete.settings",
}


def start(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RETE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))}
    env.update(GOOD)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); print('started')"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_production_starts_with_real_keys():
    result = start()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"DEBUG": "1"}, "DEBUG is on"),
        ({"RETE_DEMO": "1"}, "RETE_DEMO is on"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"RETE_FIELD_KEYS": None}, "RETE_FIELD_KEYS"),
        ({"RETE_INDEX_KEY": None}, "RETE_INDEX_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(overrides, reason):
    result = start(**overrides)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr and reason in result.stderr


def test_production_uses_https_protections():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("RETE_")}, **GOOD}, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr
