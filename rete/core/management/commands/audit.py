from django.core.management.base import BaseCommand, CommandError

from rete.core import audit


class Command(BaseCommand):
    help = "Work with the audit trail. `rete audit verify` recomputes the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = audit.verify_and_store()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.events_checked} events verified."))
            return
        raise CommandError(
            f"Audit trail NOT intact at event {result.first_bad_seq}: {result.problem} "
            f"({result.events_checked} events verified before it)."
        )
