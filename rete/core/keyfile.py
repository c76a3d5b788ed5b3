"""The local key file under var/: generated on first use on a development or demo machine.

Production takes its keys from the environment (or an explicit RETE_KEY_FILE kept outside the
code); nothing here is ever committed.
"""
import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def _generate():
    return {
        "django_secret_key": secrets.token_urlsafe(64),
        "field_keys": [Fernet.generate_key().decode()],
        "index_key": secrets.token_urlsafe(48),
    }


def read_key_file(path: Path) -> dict:
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_key_file(path, _generate())
    return json.loads(path.read_text())


def write_key_file(path: Path, data: dict) -> None:
    path = Path(path)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)


def local_secret(var_dir: Path, name: str) -> str:
    return read_key_file(Path(os.environ.get("RETE_KEY_FILE", Path(var_dir) / "keys.json")))[name]
