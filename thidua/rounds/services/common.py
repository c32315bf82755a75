"""What the rounds services share: the actor's permission, text and file checks, audit rows."""

import datetime
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.org.models import Person, Unit
from thidua.records.enums import SubjectKind

# Files a dossier may hold: documents, spreadsheets, scans and photos.
FILE_TYPES = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".jpg", ".jpeg", ".png", ".txt"}
)
NOMINATION_AUDIT_FIELDS = ["round", "title", "nominating_unit", "state", "achievement_report"]


def today() -> datetime.date:
    return timezone.localdate()


def allowed(actor, perm: str, obj=None) -> bool:
    """Whether `actor` holds `perm` on `obj`. No actor: a system step (demo seeding, commands)."""
    return actor is None or actor.has_perm(perm, obj)


def ensure(actor, perm: str, obj, message: str, *, field: str | None = None) -> None:
    """Refuse with `message` unless the actor holds `perm` (views check first and answer 403;
    services check again so that the API and commands cannot go round the rule)."""
    if not allowed(actor, perm, obj):
        raise BusinessRuleError(message, field=field, code="forbidden")


def ensure_agency(actor, agency_id: int) -> None:
    """Refuse a step on another agency's data (the installation's superuser excepted)."""
    if actor is None or (actor.is_superuser and actor.agency_id is None):
        return
    if actor.agency_id != agency_id:
        raise BusinessRuleError(_("This belongs to another agency."), code="forbidden")


def text(value: str | None) -> str:
    """Multi-line text as stored: NFC, Windows line ends made plain, outer blanks trimmed.

    Unlike `core.text.nfc` this keeps the line breaks: an achievement report has paragraphs.
    """
    value = unicodedata.normalize("NFC", str(value or ""))
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_file(upload, *, field: str) -> None:
    """A dossier file must be a document, spreadsheet or image of at most the upload limit."""
    if upload is None:
        raise BusinessRuleError(_("Choose a file to upload."), field=field, code="required")
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in FILE_TYPES:
        raise BusinessRuleError(
            _(
                "This kind of file is not accepted. Upload PDF, Word, Excel or a picture (%(types)s)."
            )
            % {"types": ", ".join(sorted(FILE_TYPES))},
            field=field,
            code="file_type",
        )
    limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    if upload.size > limit:
        raise BusinessRuleError(
            _("The file is larger than %(mb)s MB: scan at a lower resolution or split it.")
            % {"mb": limit // (1024 * 1024)},
            field=field,
            code="file_size",
        )


def kind_of(subject) -> str:
    if isinstance(subject, Person):
        return SubjectKind.PERSON
    if isinstance(subject, Unit):
        return SubjectKind.UNIT
    raise TypeError(f"a nomination's subject is a Person or a Unit, not {type(subject).__name__}")
