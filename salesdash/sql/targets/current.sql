-- grain: one row per target in force (view current_targets, sql/definitions/targets.sql).
select period_start, period_end, scope, scope_value, metric, target, owner, note, batch_id
from current_targets
order by period_start, period_end, scope, scope_value, metric
