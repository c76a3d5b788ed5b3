"""Application-level encryption of identifying and narrative fields, and blind indexes.

Values are encrypted with MultiFernet (AES-128-CBC + HMAC-SHA256): the first key encrypts, every
key decrypts, so keys rotate by putting a new one first and running `rete rotate-keys`.
Exact-match lookups use a keyed HMAC of the normalised value (a blind index), never the value.
"""
import base64
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=1)
def _keys():
    import os

    from rete.core.keyfile import read_key_file

    field_keys = [k.strip() for k in os.environ.get("RETE_FIELD_KEYS", "").split(",") if k.strip()]
    index_key = os.environ.get("RETE_INDEX_KEY", "")
    if not field_keys or not index_key:
        if settings.PRODUCTION and not os.environ.get("RETE_KEY_FILE"):
            raise ImproperlyConfigured("RETE_FIELD_KEYS and RETE_INDEX_KEY must be set in production")
        if settings.PRODUCTION and not settings.RETE_KEY_FILE.exists():
            # Never invent new keys in production: the data encrypted under the old ones would
            # become unreadable.
            raise ImproperlyConfigured(f"The key file {settings.RETE_KEY_FILE} does not exist")
        data = read_key_file(settings.RETE_KEY_FILE)
        field_keys = field_keys or data["field_keys"]
        index_key = index_key or data["index_key"]
    try:
        fernets = [Fernet(k.encode()) for k in field_keys]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"A field key is not a valid Fernet key: {exc}") from None
    return MultiFernet(fernets), index_key.encode()


def reset_keys():
    """Forget cached keys (after rotation, and in tests)."""
    _keys.cache_clear()


def audit_key() -> bytes:
    """The key of the audit trail's hash chain, derived from the index key (which is never
    rotated: rotating it would also invalidate every blind index)."""
    _, key = _keys()
    return hashlib.sha256(b"rete-audit-chain\x00" + key).digest()


def encrypt(value: str) -> str:
    fernet, _ = _keys()
    return PREFIX + fernet.encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    fernet, _ = _keys()
    try:
        return fernet.decrypt(token[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError("the value cannot be decrypted with the configured keys") from None


def rotate(token: str) -> str:
    """Re-encrypt a stored value under the current primary key."""
    fernet, _ = _keys()
    return PREFIX + fernet.rotate(token[len(PREFIX) :].encode("ascii")).decode("ascii")


def normalise(value: str) -> str:
    """Case-, accent- and space-insensitive form for matching names typed differently."""
    value = unicodedata.normalize("NFKD", value or "")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.casefold().split())


def normalise_phone(value: str) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if value and value.strip().startswith("00"):
        digits = digits[2:]
    return digits


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed HMAC of an already-normalised value. `purpose` separates index families, so
    equal values in two different kinds of field do not produce equal indexes."""
    if not value:
        return ""
    _, key = _keys()
    mac = hmac.new(key, f"{purpose}\x00{value}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text field whose database value is ciphertext. Never filter or order on it: use a
    blind index column for exact matches."""

    description = "Text encrypted in the application"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted fields do not support the {lookup_name!r} lookup")
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """Short encrypted values (phone numbers, names) with a form max length; stored as text
    because ciphertext is longer than the value."""

    def __init__(self, *args, form_max_length=None, **kwargs):
        self.form_max_length = form_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.form_max_length is not None:
            kwargs["form_max_length"] = self.form_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        from django import forms

        kwargs.setdefault("form_class", forms.CharField)
        kwargs.setdefault("max_length", self.form_max_length)
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedJSONField(EncryptedTextField):
    """A list or dict, stored as encrypted JSON: for sensitive coded answers (health, sexual
    orientation, residence status) that are read with their record and never filtered on."""

    description = "JSON encrypted in the application"

    def from_db_value(self, value, expression, connection):
        import json

        value = super().from_db_value(value, expression, connection)
        return json.loads(value) if value else value

    def to_python(self, value):
        import json

        return json.loads(value) if isinstance(value, str) and value else value

    def get_prep_value(self, value):
        import json

        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False))


class EncryptedBinaryField(models.BinaryField):
    """File contents encrypted in the application (attachments). The database holds only the
    Fernet token; the plaintext exists in memory while it is uploaded or downloaded."""

    description = "Bytes encrypted in the application"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_bytes(bytes(value))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt_bytes(bytes(value))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted fields do not support the {lookup_name!r} lookup")
        return super().get_lookup(lookup_name)


BINARY_PREFIX = PREFIX.encode("ascii")


def encrypt_bytes(value: bytes) -> bytes:
    fernet, _ = _keys()
    return BINARY_PREFIX + fernet.encrypt(value)


def decrypt_bytes(token: bytes) -> bytes:
    if not token.startswith(BINARY_PREFIX):
        raise ValueError("not an encrypted value")
    fernet, _ = _keys()
    try:
        return fernet.decrypt(token[len(BINARY_PREFIX):])
    except InvalidToken:
        raise ValueError("the value cannot be decrypted with the configured keys") from None


def rotate_bytes(token: bytes) -> bytes:
    fernet, _ = _keys()
    return BINARY_PREFIX + fernet.rotate(token[len(BINARY_PREFIX):])


def encrypted_fields():
    """Every (model, field name) that holds ciphertext, for key rotation."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field.attname


def encrypted_binary_fields():
    """Every (model, field name) that holds encrypted bytes (attachments), for key rotation."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedBinaryField):
                yield model, field.attname
