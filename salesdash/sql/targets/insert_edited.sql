-- grain: one new batch of targets: the rows of the registered frame edited_targets (changed or
-- added on the Targets page).
insert into targets (batch_id, period_start, period_end, scope, scope_value, metric, target, owner, note)
select $batch_id, period_start, period_end, scope, scope_value, metric, target, owner, note
from edited_targets;
