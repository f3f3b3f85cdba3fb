-- grain: one row per month of one series ($level, $unique_id) in the forecast log of the data
-- version $data_version and of the version logged last before it (salesdash/forecast/explain.py).
with versions as (
    select data_version, max(logged_at) as logged_at
    from forecast_log
    group by data_version
),

this_version as (
    select logged_at from versions where data_version = $data_version
),

previous as (
    select data_version
    from versions
    where logged_at < (select logged_at from this_version)
    order by logged_at desc
    limit 1
),

final as (
    select data_version, as_of, ds, actual, forecast, pipeline, blended, logged_at
    from forecast_log
    where level = $level
        and unique_id = $unique_id
        and (
            data_version = $data_version
            or data_version in (select data_version from previous)
        )
)

select * from final
order by logged_at, ds
