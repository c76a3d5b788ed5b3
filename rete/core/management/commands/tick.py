"""`rete tick`: enqueue the background work that is due (reminders, expiries). Run it every few
minutes from cron or a systemd timer; `rete db_worker` runs the queued tasks."""
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rete.core.extensions import tick_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the background tasks that are due (reminders, expiries). Safe to run as often as you like."

    def handle(self, *args, **options):
        now = timezone.now()
        total, failed = 0, []
        for job in tick_jobs():
            name = f"{job.__module__}.{job.__qualname__}"
            try:
                count = int(job(now) or 0)
            except Exception:  # one broken job must not stop the others
                logger.exception("tick job %s failed", name)
                failed.append(name)
                continue
            total += count
            if options["verbosity"] > 1:
                self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"{total} task(s) enqueued.")
        if failed:
            raise CommandError(f"tick jobs failed: {', '.join(failed)}")
