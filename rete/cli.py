"""`rete`: Django's management commands under one name (`rete audit verify`, `rete rotate-keys`…)."""
import os
import sys


def main(argv=None):
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rete.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Commands are spelled with hyphens on the command line, underscores in Python.
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
