-- grain: one row per close day with won or lost deals in one target scope, up to $as_of, in the
-- Scope's regions and reps (the user's rights).
-- Opportunities carry no category; a channel scope matches the lead's source.
select
    close_date as day,
    count(*) filter (where stage = 'won') as n_won,
    count(*) as n_closed
from scoped_opportunities($regions, $sales_reps, $products)
where
    close_date <= $as_of
    and stage in ('won', 'lost')
    and (
        $scope_kind = 'company'
        or sales_dimension($scope_kind, region, source, sales_rep, null, product) = $scope_value
    )
group by close_date
order by day
