-- grain: what the forecast keeps besides its stored results: the what-if scenarios saved by name
-- (salesdash/scenarios.py) and what each data version forecast for its year
-- (salesdash/forecast/explain.py).

-- One row per saved scenario: its changes as the executive entered them (JSON list of
-- scenarios.Step), resolved against the data each time the scenario is shown. A scenario never
-- changes the baseline forecast every page and export shows.
create table if not exists scenarios (
    name varchar primary key,
    steps varchar not null,
    saved_at timestamp not null
);

-- One row per data version, series of the forecast's hierarchy (level, unique_id) and month (ds,
-- its first day) of the year the data ends in: the month's revenue if it was complete, else the
-- forecast shown for it (the pipeline blend where that was the near term's default) and the
-- pipeline's expected close in it. Written by the refresh step; the Forecast page explains a
-- change of this year's projection from the last two versions.
create table if not exists forecast_log (
    data_version varchar not null,
    as_of date not null,
    level varchar not null,
    unique_id varchar not null,
    ds date not null,
    actual double,
    forecast double,
    pipeline double,
    blended boolean not null,
    logged_at timestamp not null,
    primary key (data_version, level, unique_id, ds)
);
