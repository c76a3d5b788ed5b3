"""Secret links (invitations, a participant's personal link): the token goes out in the link,
only its SHA-256 is stored, so the database alone opens nothing."""
import hashlib
import secrets


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token or "").encode()).hexdigest()


def email_index(email: str) -> str:
    """The blind index of a participant's e-mail: one registration per address and event."""
    from rete.core import crypto

    return crypto.blind_index(str(email or "").strip().casefold(), purpose="learning.registration.email")
