-- grain: one row per target in force (view current_targets, sql/definitions/targets.sql) that
-- the scope may see (macro target_visible; a rep target's region is their team's).
select
    t.period_start,
    t.period_end,
    t.scope,
    t.scope_value,
    t.metric,
    t.target,
    t.owner,
    t.note,
    t.batch_id
from current_targets as t
left join teams as tm on t.scope = 'sales_rep' and tm.sales_rep = t.scope_value
where target_visible(t.scope, t.scope_value, tm.region, $regions, $sales_reps, $all_scopes)
order by t.period_start, t.period_end, t.scope, t.scope_value, t.metric
