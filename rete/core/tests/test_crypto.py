import sqlite3
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from rete.conftest import make_user
from rete.core import crypto
from rete.core.models import User

SENTINEL = "SENTINEL-5f3c-not-in-the-database"


def test_encrypt_round_trip_and_randomised():
    a, b = crypto.encrypt("Maria"), crypto.encrypt("Maria")
    assert a != b and a.startswith(crypto.PREFIX)
    assert crypto.decrypt(a) == "Maria"


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("secret")
    with pytest.raises(ValueError):
        crypto.decrypt(token[:-4] + "AAAA")


def test_blind_index_is_keyed_stable_and_purpose_bound():
    name = crypto.normalise("  Élena   PAPADOPOULOU ")
    assert name == "elena papadopoulou"
    assert crypto.blind_index(name, purpose="name") == crypto.blind_index("elena papadopoulou", purpose="name")
    assert crypto.blind_index(name, purpose="name") != crypto.blind_index(name, purpose="phone")
    assert "elena" not in crypto.blind_index(name, purpose="name")
    assert crypto.normalise_phone("+357 99 123-456") == crypto.normalise_phone("00357 99123456")


def test_encrypted_fields_refuse_lookups_that_cannot_work():
    with pytest.raises(TypeError):
        list(User.objects.filter(phone__icontains="1"))


@pytest.mark.django_db
def test_sentinel_never_appears_in_the_raw_table():
    make_user("a@home.example", phone=SENTINEL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_user")
        raw = [row[0] for row in cursor.fetchall()]
    assert raw and all(SENTINEL not in value for value in raw)
    assert User.objects.get(email="a@home.example").phone == SENTINEL


@pytest.mark.django_db(transaction=True)
def test_sentinel_never_appears_in_the_database_file():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file check runs on SQLite; the PostgreSQL table check runs on both")
    make_user("b@home.example", phone=SENTINEL)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        data = copy.read_bytes()
        assert b"b@home.example" in data  # the copy really holds the table
        assert SENTINEL.encode() not in data
        sqlite3.connect(copy).close()


@pytest.mark.django_db
def test_sentinel_never_appears_in_a_postgresql_dump_of_the_table():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL")
    make_user("c@home.example", phone=SENTINEL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(u)::text FROM core_user u")
        rows = " ".join(row[0] for row in cursor.fetchall())
    assert "c@home.example" in rows
    assert SENTINEL not in rows


@pytest.mark.django_db
def test_rotate_keys_re_encrypts_under_a_new_primary_key(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("RETE_FIELD_KEYS", raising=False)
    monkeypatch.delenv("RETE_INDEX_KEY", raising=False)
    settings.RETE_KEY_FILE = tmp_path / "keys.json"
    crypto.reset_keys()
    try:
        user = make_user("d@home.example", phone=SENTINEL)
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone FROM core_user WHERE id = %s", [user.pk])
            before = cursor.fetchone()[0]
        old_key = crypto._keys()[0]._fernets[0]
        call_command("rotate_keys", "--new-key", stdout=open("/dev/null", "w"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone FROM core_user WHERE id = %s", [user.pk])
            after = cursor.fetchone()[0]
        assert after != before
        new_primary = crypto._keys()[0]._fernets[0]
        assert new_primary is not old_key
        # The new key alone decrypts it: the old one is no longer needed for this value.
        assert new_primary.decrypt(after[len(crypto.PREFIX):].encode()).decode() == SENTINEL
        assert User.objects.get(pk=user.pk).phone == SENTINEL
    finally:
        crypto.reset_keys()


def test_a_bad_key_is_a_configuration_error(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("RETE_FIELD_KEYS", "not-a-key")
    monkeypatch.setenv("RETE_INDEX_KEY", "x" * 32)
    crypto.reset_keys()
    try:
        with pytest.raises(ImproperlyConfigured):
            crypto.encrypt("x")
        monkeypatch.setenv("RETE_FIELD_KEYS", Fernet.generate_key().decode())
        crypto.reset_keys()
        assert crypto.decrypt(crypto.encrypt("x")) == "x"
    finally:
        monkeypatch.delenv("RETE_FIELD_KEYS")
        monkeypatch.delenv("RETE_INDEX_KEY")
        crypto.reset_keys()
