-- The targets in force. grain: one row per target (period_start, period_end, scope, scope_value,
-- metric); the latest batch wins, so a target edited on the Targets page (a new batch) replaces
-- the imported one and undoing the edit brings the imported one back. A missing scope_value
-- (company targets) reads ''.
create or replace view current_targets as
with ranked as (
    select
        period_start,
        period_end,
        scope,
        coalesce(scope_value, '') as scope_value,
        metric,
        target,
        owner,
        note,
        batch_id,
        row_number() over (
            partition by period_start, period_end, scope, coalesce(scope_value, ''), metric
            order by batch_id desc
        ) as rank_in_key
    from targets
)

select period_start, period_end, scope, scope_value, metric, target, owner, note, batch_id
from ranked
where rank_in_key = 1;
