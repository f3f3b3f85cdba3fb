-- grain: one row per target in force that the scope may see (macro scoped_targets: a rep
-- target's region is their team's).
select period_start, period_end, scope, scope_value, metric, target, owner, note, batch_id
from scoped_targets($regions, $sales_reps, $all_scopes)
order by period_start, period_end, scope, scope_value, metric
