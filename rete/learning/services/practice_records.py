"""Files of a practice (part "practice-records"): added and removed by the owner's members while
the practice's text may change (draft or returned), stored encrypted, checked by their content
(rete.cases.documents), every download audited. The audit trail has ids, the type and the size,
never the file's name, title or content."""
from django.db import transaction
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError
from rete.learning import access, states
from rete.learning.models import PracticeAttachment
from rete.learning.services.practices import locked

TITLE_MAX = 200
MAX_ATTACHMENTS = 20


def _audit(action, by, practice, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=practice.organisation, obj=practice,
                 detail={"practice": practice.pk, **detail})


def _editable(row):
    if row.status not in states.EDITABLE:
        raise ServiceError(_("This practice is being reviewed: its files can no longer be changed."))


@transaction.atomic
def practice_attachment_add(*, by, practice, filename, data: bytes, title="") -> PracticeAttachment:
    """Stores a file of the practice, encrypted. A refused file (type, content, size) raises
    ServiceError on the field "file" with the reason."""
    from rete.cases import documents

    row = locked(by, practice, access.SHARE_PRACTICES)
    _editable(row)
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": TITLE_MAX},
                           field="title")
    if PracticeAttachment.objects.filter(practice=row).count() >= MAX_ATTACHMENTS:
        raise ServiceError(_("A practice can have at most %(count)s files. Remove one first.") % {"count": MAX_ATTACHMENTS},
                           field="file")
    try:
        checked = documents.check(filename, data)
    except documents.DocumentRefused as exc:
        raise ServiceError(str(exc.message), field="file") from None
    attachment = PracticeAttachment.objects.create(
        practice=row, title=title or checked.filename[:TITLE_MAX], filename=checked.filename,
        content_type=checked.content_type, size=len(checked.data), content=checked.data, uploaded_by=by)
    _audit("practice.attachment_added", by, row, attachment=attachment.pk, content_type=checked.content_type,
           size=len(checked.data))
    return attachment


@transaction.atomic
def practice_attachment_delete(*, by, practice, attachment_id) -> None:
    row = locked(by, practice, access.SHARE_PRACTICES)
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        core_access.deny()
    attachment = PracticeAttachment.objects.filter(practice=row, pk=attachment_id).defer("content").first()
    if attachment is None:
        core_access.deny()
    _editable(row)
    attachment.delete()
    _audit("practice.attachment_deleted", by, row, attachment=attachment_id)


@transaction.atomic
def practice_attachment_record_download(*, by, practice, attachment) -> None:
    """The download of a file the reader reached through the selectors, in the audit trail."""
    _audit("practice.attachment_downloaded", by, practice, attachment=attachment.pk)
