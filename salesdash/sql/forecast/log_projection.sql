-- grain: the forecast log of one data version (table forecast_log, salesdash/forecast/explain.py):
-- its rows replaced by those of the registered frame projection_rows, and versions older than the
-- last $keep logged ones removed.
delete from forecast_log where data_version = $data_version;

insert into forecast_log
select
    $data_version as data_version,
    $as_of as as_of,
    level,
    unique_id,
    ds,
    actual,
    forecast,
    pipeline,
    blended,
    $logged_at as logged_at
from projection_rows;

delete from forecast_log
where data_version not in (
    select data_version
    from forecast_log
    group by data_version
    order by max(logged_at) desc
    limit $keep
);
