"""What a load did and what a file looks like: the typed results of the ingest functions."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class BatchResult:
    """What one file did to the database.

    ``rejects`` has one row per rejected row: line (the header is line 1; a data record's line is
    its record number + 1, which is its physical line unless a quoted field spans lines), column
    (canonical name, or None for a line that could not be split into fields), value and reason.
    ``rows_total`` is the number of data records in the file (loaded + rejected + duplicate);
    ``warnings`` are things loaded but worth a look (e.g. product names the catalogue lacks).
    """

    batch_id: int
    kind: str
    file_name: str
    file_sha256: str
    encoding: str
    rows_loaded: int
    rows_rejected: int
    rows_duplicate: int
    mapping: dict[str, str]
    rejects: pd.DataFrame = field(repr=False)
    rows_total: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self, n_rejects: int = 100) -> dict:
        """JSON-ready summary (the first ``n_rejects`` rejects)."""
        rejects = self.rejects.head(n_rejects).astype(object)
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "encoding": self.encoding,
            "rows_total": self.rows_total,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "mapping": self.mapping,
            "rejects": rejects.where(rejects.notna(), None).to_dict(orient="records"),
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class FilePreview:
    """What a file looks like before loading: for the analyst to confirm or correct the mapping.

    ``mapping`` maps every canonical column of the kind to the proposed source column (None when
    no source column was recognised); ``missing_required`` lists required canonical columns with
    no source column; ``remembered`` is True when the mapping was saved for this exact header.
    """

    file_name: str
    kind: str
    encoding: str
    header: list[str]
    rows: pd.DataFrame = field(repr=False)
    mapping: dict[str, str | None]
    missing_required: list[str]
    remembered: bool
