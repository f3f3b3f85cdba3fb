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

-- The targets in force (the view above) a scope may see — the scoped read of targets, like those
-- of scope.sql but after the view it reads: a region's when the region is in regions and no rep
-- narrows the view; a rep's when the rep is in sales_reps and, if regions narrow the view, their
-- team's region is one of them; a company, channel, category or product target only when the
-- user's rights narrow nothing (all_scopes): it measures sales of every region.
create or replace macro scoped_targets(regions, sales_reps, all_scopes) as table
    select *
    from current_targets
    where
        case scope
            when 'region' then len(sales_reps) = 0 and in_list(regions, scope_value)
            when 'sales_rep' then
                in_list(sales_reps, scope_value)
                and (
                    len(regions) = 0
                    or scope_value in (
                        select sales_rep from teams where list_contains(regions, region)
                    )
                )
            else all_scopes
        end;
