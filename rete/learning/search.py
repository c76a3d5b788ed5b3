"""Full-text search of practices in every language, the same on both databases: each
practice's text per language is kept normalised (lower case, no accents) in
PracticeSearchText; a query matches practices whose text in some language holds every word of
the query as a word or the start of one. PostgreSQL answers with its text search (GIN index),
SQLite with FTS5 (migration 0002)."""
import re
import unicodedata

from django.db import connection
from django.db.models.expressions import RawSQL

MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case without accents ("Protección" → "proteccion", "Βία" → "βια")."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(query: str) -> list[str]:
    return _WORD.findall(normalise(query))[:MAX_WORDS]


def document(texts) -> str:
    """The searchable text of one language version from its field texts."""
    return normalise("\n".join(t for t in texts if t))


def matching_practice_ids(query: str):
    """A subquery of the ids of practices matching `query`, or None when it holds no word."""
    terms = words(query)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT practice_id FROM learning_practicesearchtext "
            "WHERE to_tsvector('simple', document) @@ to_tsquery('simple', %s)",
            [" & ".join(f"{term}:*" for term in terms)],
        )
    return RawSQL(
        "SELECT s.practice_id FROM learning_practicesearchtext s "
        "JOIN learning_practice_fts f ON f.rowid = s.id WHERE learning_practice_fts MATCH %s",
        [" AND ".join(f'"{term}"*' for term in terms)],
    )
