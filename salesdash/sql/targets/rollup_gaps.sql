-- grain: one row per parent target with child targets on the same metric inside its period:
-- region targets under the company target, rep targets under their region's (reps placed by
-- teams). Children of the longest period length inside the parent are summed (a year's company
-- target against the regions' quarter targets when there are no region year targets). Reads the
-- targets in force the scope may see (macro scoped_targets): a parent it may see has only
-- children it may see (a region's reps), and a parent it may not see is left out.
with children as (
    select
        c.period_start,
        c.period_end,
        c.metric,
        case c.scope when 'region' then 'company' else 'region' end as parent_scope,
        case c.scope when 'region' then '' else tm.region end as parent_value,
        c.scope as child_scope,
        c.period_start as child_start,
        date_diff('month', c.period_start, c.period_end + 1) as child_months,
        c.target
    from scoped_targets($regions, $sales_reps, $all_scopes) as c
    left join teams as tm on c.scope = 'sales_rep' and tm.sales_rep = c.scope_value
    where c.scope = 'region' or (c.scope = 'sales_rep' and tm.region is not null)
),

inside as (
    select
        p.period_start,
        p.period_end,
        p.metric,
        p.scope as parent_scope,
        p.scope_value as parent_value,
        p.target as parent_target,
        ch.child_scope,
        ch.child_months,
        ch.target,
        max(ch.child_months) over (
            partition by p.period_start, p.period_end, p.metric, p.scope, p.scope_value,
                ch.child_scope
        ) as longest_months
    from scoped_targets($regions, $sales_reps, $all_scopes) as p
    inner join children as ch
        on ch.parent_scope = p.scope
        and ch.parent_value = p.scope_value
        and ch.metric = p.metric
        and ch.child_start >= p.period_start
        and ch.child_start <= p.period_end
        and ch.period_end <= p.period_end
),

summed as (
    select
        period_start,
        period_end,
        metric,
        parent_scope,
        parent_value,
        parent_target,
        child_scope,
        child_months,
        count(*) as n_children,
        sum(target) as children_target
    from inside
    where child_months = longest_months
    group by all
)

select
    parent_scope as scope,
    parent_value as scope_value,
    metric,
    period_start,
    period_end,
    parent_target,
    child_scope,
    child_months,
    n_children,
    children_target,
    children_target - parent_target as gap
from summed
order by period_start, period_end, scope, scope_value, metric
