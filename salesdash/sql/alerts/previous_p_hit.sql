-- grain: one row per target of the data version computed last before $data_version: target_key,
-- p_hit (empty when there is none).
with previous as (
    select data_version
    from alert_target_history
    where data_version <> $data_version
    group by data_version
    order by max(computed_at) desc
    limit 1
)

select target_key, p_hit
from alert_target_history
where data_version in (select data_version from previous)
