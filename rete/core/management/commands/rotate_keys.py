"""Re-encrypt every protected field under the current primary key.

With a key file (development, demo, small installations): `rete rotate-keys --new-key` puts a
fresh key first in the file, then re-encrypts. With keys from the environment: put the new key
first in RETE_FIELD_KEYS, run `rete rotate-keys`, then drop the old key.
"""
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rete.core import audit, crypto
from rete.core.keyfile import read_key_file, write_key_file


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current primary key (optionally adding a new key first)."

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="generate a new primary key in the key file first")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, new_key=False, batch_size=500, **options):
        if new_key:
            import os

            if os.environ.get("RETE_FIELD_KEYS"):
                raise CommandError("Keys come from RETE_FIELD_KEYS: put the new key first there instead of --new-key.")
            data = read_key_file(settings.RETE_KEY_FILE)
            data["field_keys"].insert(0, Fernet.generate_key().decode())
            write_key_file(settings.RETE_KEY_FILE, data)
            crypto.reset_keys()
            self.stdout.write("A new primary key was added to the key file.")
        total = 0
        for model, attname in crypto.encrypted_fields():
            table = model._meta.db_table
            column = model._meta.get_field(attname).column
            pk = model._meta.pk.column
            from django.db import connection

            qn = connection.ops.quote_name
            last = None
            while True:
                # Raw ciphertext in, raw ciphertext out: the values are never decrypted to text
                # in Python beyond what MultiFernet.rotate needs.
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"WHERE {qn(column)} LIKE %s" + (f" AND {qn(pk)} > %s" if last is not None else "")
                    params = [crypto.PREFIX + "%"] + ([last] if last is not None else [])
                    cursor.execute(
                        f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} {where} ORDER BY {qn(pk)} LIMIT {int(batch_size)}",
                        params,
                    )
                    rows = cursor.fetchall()
                    for row_pk, token in rows:
                        cursor.execute(
                            f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s", [crypto.rotate(token), row_pk]
                        )
                    total += len(rows)
                if len(rows) < batch_size:
                    break
                last = rows[-1][0]
        total += self._rotate_binary(batch_size)
        total += self._rotate_mfa_secrets()
        audit.record(action="crypto.keys_rotated", detail={"values": total, "new_key": new_key})
        self.stdout.write(self.style.SUCCESS(f"{total} encrypted values re-encrypted under the primary key."))

    def _rotate_binary(self, batch_size):
        """Encrypted files: one row at a time by primary key, ciphertext in, ciphertext out."""
        from django.db import connection

        qn = connection.ops.quote_name
        total = 0
        for model, attname in crypto.encrypted_binary_fields():
            table, column = model._meta.db_table, model._meta.get_field(attname).column
            pk = model._meta.pk.column
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {qn(pk)} FROM {qn(table)} WHERE {qn(column)} IS NOT NULL ORDER BY {qn(pk)}")
                ids = [row[0] for row in cursor.fetchall()]
            for row_pk in ids:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SELECT {qn(column)} FROM {qn(table)} WHERE {qn(pk)} = %s", [row_pk])
                    token = bytes(cursor.fetchone()[0])
                    cursor.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s", [crypto.rotate_bytes(token), row_pk])
                total += 1
        return total

    def _rotate_mfa_secrets(self):
        """TOTP secrets and recovery-code seeds live inside django-allauth's JSON column,
        encrypted by our MFA adapter."""
        from allauth.mfa.models import Authenticator

        count = 0
        with transaction.atomic():
            kinds = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
            for authenticator in Authenticator.objects.filter(type__in=kinds).select_for_update():
                for key in ("secret", "seed"):
                    value = authenticator.data.get(key, "")
                    if isinstance(value, str) and value.startswith(crypto.PREFIX):
                        authenticator.data[key] = crypto.rotate(value)
                        count += 1
                authenticator.save(update_fields=["data"])
        return count
