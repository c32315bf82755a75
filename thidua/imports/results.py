"""What an import reports back: its problems, its counts and a preview of every row.

Both are plain data, JSON-ready through `as_dict`/`from_dict`, so that a staged upload
(`ImportBatch.result`) can be shown again later without re-reading the file.
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

# What an import does with one row.
CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Problem:
    """One reason to refuse a file: the row (1 = header row), the column header, why.

    `code` is stable and meant for programs and tests ("missing_header", "invalid_date", ...);
    `message` is the translated text shown to people.
    """

    row: int
    column: str
    message: str
    code: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class ImportResult:
    """The outcome of `run_import`.

    `preview` has one dict per row in file order: {"row", "action", "code", "name", "changes", ...}
    where action is "create", "update" or "unchanged" and changes maps a column header to
    [before, after]. Counts and preview describe the file's plan even when it was refused;
    `applied` says whether anything was written.
    """

    kind: str
    filename: str
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    preview: list[dict] = field(default_factory=list)
    # Headers of the file that match no column of the kind: ignored, shown as a warning.
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["problems"] = [p.as_dict() for p in self.problems]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        values = dict(data)
        values["problems"] = [Problem(**p) for p in data.get("problems", [])]
        return cls(**values)
