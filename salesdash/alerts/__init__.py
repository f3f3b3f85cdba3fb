"""Watch: risks and anomalies found in the data, explained, stored, and sent to their owners.

One module per rule, each ``check(con, as_of, settings, context) -> list[Alert]``:

- ``revenue``: the last complete month or week outside the 95% interval forecast before it;
- ``pace``: running targets whose chance of being hit is below 50% or fell 20 points;
- ``quiet``: A-tier customers silent past their own usual gaps;
- ``concentration``: top customers' share of revenue, one rep's share of a region;
- ``pipeline``: quarters the pipeline cannot carry, stuck deals, passed close dates;
- ``cadence``: exports that stopped arriving, loads far off the ones before.

``refresh(con, as_of)`` runs them all once per data version (the refresh step calls it) and stores
the open alerts; pages, the command line and the digest read what it stored (``stored_alerts``).
``set_state`` is the one write people make (acknowledge, snooze, reopen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from salesdash import dataset
from salesdash.alerts import cadence, concentration, pace, pipeline, quiet, revenue, send
from salesdash.alerts.context import Context
from salesdash.alerts.forecasts import FittingSource, ForecastSource, TargetOutlook
from salesdash.alerts.impact import attach_targets
from salesdash.alerts.model import SEVERITIES, Alert, Link, by_cost
from salesdash.alerts.store import last_run, previous_p_hit, save, set_state, stored_alerts
from salesdash.errors import InputError

KINDS = (
    revenue.KIND,
    pace.KIND,
    quiet.KIND,
    concentration.KIND,
    pipeline.GAP,
    pipeline.STUCK,
    pipeline.OVERDUE,
    cadence.OVERDUE,
    cadence.ANOMALY,
)
# The rules measured against the wall clock rather than the data (see ``refresh_clock``).
CLOCK_KINDS = (cadence.OVERDUE, cadence.ANOMALY)


@dataclass(frozen=True)
class Settings:
    """Every rule's settings (each field's class documents its defaults and why)."""

    revenue: revenue.RevenueSettings = field(default_factory=revenue.RevenueSettings)
    pace: pace.PaceSettings = field(default_factory=pace.PaceSettings)
    quiet: quiet.QuietSettings = field(default_factory=quiet.QuietSettings)
    concentration: concentration.ConcentrationSettings = field(
        default_factory=concentration.ConcentrationSettings
    )
    pipeline: pipeline.PipelineSettings = field(default_factory=pipeline.PipelineSettings)
    cadence: cadence.CadenceSettings = field(default_factory=cadence.CadenceSettings)


def settings_from(overrides: Mapping[str, Mapping[str, Any]]) -> Settings:
    """The defaults with ``overrides`` ({"quiet": {"min_quiet_days": 45}, …}) applied.

    Raises:
        InputError: an unknown rule or setting.
    """
    defaults = Settings()
    values = {}
    for rule, changes in overrides.items():
        if rule not in Settings.__dataclass_fields__:
            known = ", ".join(Settings.__dataclass_fields__)
            raise InputError(f"unknown alert rule '{rule}' in settings (expected one of: {known})")
        default = getattr(defaults, rule)
        unknown = sorted(set(changes) - set(default.__dataclass_fields__))
        if unknown:
            raise InputError(f"unknown setting(s) {unknown} for alert rule '{rule}'")
        cleaned = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        values[rule] = replace(default, **cleaned)
    return replace(defaults, **values)


def load_settings(secrets: Path | None = None) -> Settings:
    """The rules' settings: ``[alerts.rules.<rule>]`` tables of ``.streamlit/secrets.toml``
    over the defaults, e.g. ``[alerts.rules.quiet]`` ``min_quiet_days = 45``."""
    return settings_from(send.alerts_section(secrets).get("rules", {}))


# (rule, the Settings field holding its settings), in the order they run.
RULES = (
    (revenue.check, "revenue"),
    (pace.check, "pace"),
    (quiet.check, "quiet"),
    (concentration.check, "concentration"),
    (pipeline.check, "pipeline"),
    (cadence.check, "cadence"),
)


def compute(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    now: datetime,
    settings: Settings | None = None,
    forecasts: ForecastSource | None = None,
    previous: dict[str, float] | None = None,
) -> tuple[list[Alert], list[TargetOutlook]]:
    """Every rule on ``as_of`` (data after it is not used; loads after ``now`` neither).

    Args:
        now: the wall-clock time the load cadence is measured against.
        forecasts: where forecasts come from (default: fitted now, ``FittingSource``).
        previous: target key → P(hit) at the previous data version.

    Returns:
        (alerts most costly first, the running targets' outlooks).
    """
    settings = settings or Settings()
    forecasts = forecasts or FittingSource()
    outlooks = forecasts.target_outlooks(con, as_of)
    context = Context(now, forecasts, tuple(outlooks), previous or {})
    found = [a for rule, name in RULES for a in rule(con, as_of, getattr(settings, name), context)]
    return by_cost(attach_targets(found, outlooks)), outlooks


def refresh(
    con: duckdb.DuckDBPyConnection,
    as_of: date | None = None,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    forecasts: ForecastSource | None = None,
) -> list[Alert]:
    """The refresh step: compute every alert for the current data and store them.

    Args:
        as_of: the day to stand on (default: the last order date).
        now: the wall clock (default: now — the refresh runs right after a load).
        settings: the rules' settings (default: ``load_settings()``).

    Returns:
        the alerts stored, most costly first (none without orders).
    """
    as_of = as_of or dataset.last_order_date(con)
    now = now or datetime.now()
    settings = settings or load_settings()
    version = dataset.data_version(con)
    if as_of is None:
        save(con, [], [], data_version=version, as_of=None, now=now)
        return []
    found, outlooks = compute(
        con,
        as_of,
        now=now,
        settings=settings,
        forecasts=forecasts,
        previous=previous_p_hit(con, version),
    )
    save(con, found, outlooks, data_version=version, as_of=as_of, now=now)
    return found


def refresh_clock(
    con: duckdb.DuckDBPyConnection, *, now: datetime, settings: Settings | None = None
) -> list[Alert]:
    """Re-check the data rules against the wall clock and store their alerts (the others stay).

    A load that never comes changes no data, so no refresh would notice it: ``alerts --send``
    (run by cron) calls this first.
    """
    settings = settings or load_settings()
    as_of = dataset.last_order_date(con) or now.date()
    found = cadence.check(con, as_of, settings.cadence, Context(now))
    save(
        con,
        found,
        [],
        data_version=dataset.data_version(con),
        as_of=as_of,
        now=now,
        kinds=CLOCK_KINDS,
    )
    return found


__all__ = [
    "CLOCK_KINDS",
    "KINDS",
    "RULES",
    "SEVERITIES",
    "Alert",
    "FittingSource",
    "ForecastSource",
    "Link",
    "Settings",
    "TargetOutlook",
    "compute",
    "last_run",
    "load_settings",
    "refresh",
    "refresh_clock",
    "set_state",
    "settings_from",
    "stored_alerts",
]
