"""Secret links (invitations, a participant's personal link): the token goes out in the link,
only its SHA-256 is stored, so the database alone opens nothing."""
import hashlib
import secrets


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token or "").encode()).hexdigest()
