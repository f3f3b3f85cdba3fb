"""What a load did and what a file looks like: the typed results of the ingest functions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

import pandas as pd

from salesdash.ingest.history import Replacement


@dataclass(frozen=True)
class Coverage:
    """What a batch brought, from its rows as loaded (duplicates not counted): the first and last
    date (orders: order_date, opportunities: created_date, customers: signup_date), how many
    orders / opportunities / customers (``n_records``) and distinct customers, the amount
    (revenue, pipeline amount; None for customers), the regions and channels (lead sources)."""

    kind: str
    first_date: date | None
    last_date: date | None
    n_records: int
    n_customers: int
    amount: float | None
    regions: tuple[str, ...]
    channels: tuple[str, ...]

    def summary(self) -> dict:
        out = asdict(self)
        for key in ("first_date", "last_date"):
            out[key] = out[key].isoformat() if out[key] else None
        return out | {"regions": list(self.regions), "channels": list(self.channels)}


@dataclass(frozen=True)
class BatchResult:
    """What one file did to the database.

    ``rejects`` has one row per rejected row: line (the header is line 1; a data record's line is
    its record number + 1, which is its physical line unless a quoted field spans lines), column
    (canonical name, or None for a line that could not be split into fields), value and reason.
    ``rows_total`` is the number of data records in the file (loaded + rejected + duplicate);
    ``warnings`` are things loaded but worth a look (e.g. product names the catalogue lacks);
    ``coverage`` what the batch brought; ``replaced`` the months it replaced, when it did.
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
    coverage: Coverage | None = None
    replaced: Replacement | None = None

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
            "coverage": self.coverage.summary() if self.coverage else None,
            "replaced": (
                {
                    "from": self.replaced.date_from.isoformat(),
                    "to": self.replaced.date_to.isoformat(),
                    "rows_replaced": self.replaced.rows_replaced,
                }
                if self.replaced
                else None
            ),
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
