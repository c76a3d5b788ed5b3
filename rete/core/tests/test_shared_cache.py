"""With several app processes the cache must be shared (Redis): a TOTP code used in one
process must be refused in another."""
import os
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import caches

from rete.conftest import TOTP_SECRET, make_user

REDIS_URL = os.environ.get("RETE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} and CI must run this test: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.mark.django_db
def test_a_totp_code_is_accepted_once_through_redis(redis_cache):
    user = make_user("worker@home.example")
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    assert TOTP(authenticator).validate_code(code)
    assert not TOTP(authenticator).validate_code(code)
    keys = [key for key in redis_cache._cache.get_client().scan_iter("*allauth.mfa.totp.used*")]
    assert keys, "the used-code marker lives in Redis"
