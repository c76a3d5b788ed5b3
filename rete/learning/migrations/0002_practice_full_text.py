"""Full-text search over PracticeSearchText.document on both databases (rete.learning.search):
an FTS5 index kept in step by triggers on SQLite, a GIN index on the text-search vector on
PostgreSQL."""
from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE learning_practice_fts USING fts5(
        document, content='learning_practicesearchtext', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER learning_practice_fts_ai AFTER INSERT ON learning_practicesearchtext BEGIN
        INSERT INTO learning_practice_fts(rowid, document) VALUES (new.id, new.document); END""",
    """CREATE TRIGGER learning_practice_fts_ad AFTER DELETE ON learning_practicesearchtext BEGIN
        INSERT INTO learning_practice_fts(learning_practice_fts, rowid, document) VALUES ('delete', old.id, old.document); END""",
    """CREATE TRIGGER learning_practice_fts_au AFTER UPDATE ON learning_practicesearchtext BEGIN
        INSERT INTO learning_practice_fts(learning_practice_fts, rowid, document) VALUES ('delete', old.id, old.document);
        INSERT INTO learning_practice_fts(rowid, document) VALUES (new.id, new.document); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS learning_practice_fts_au",
    "DROP TRIGGER IF EXISTS learning_practice_fts_ad",
    "DROP TRIGGER IF EXISTS learning_practice_fts_ai",
    "DROP TABLE IF EXISTS learning_practice_fts",
]
POSTGRES_UP = ["CREATE INDEX learning_practice_search_gin ON learning_practicesearchtext USING gin (to_tsvector('simple', document))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS learning_practice_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
    ]
