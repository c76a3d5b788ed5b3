"""Exit 0 when the PostgreSQL server in argv[1] answers, 1 otherwise."""
import sys

import psycopg

try:
    url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(url, connect_timeout=3):
        pass
except psycopg.Error as exc:
    print(f"PostgreSQL not available: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
