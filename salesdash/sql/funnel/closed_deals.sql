-- grain: one row per sales_rep when $by_rep, else one row: deals closed in the period.
-- win_rate = won / (won + lost); sales cycle = close_date - created_date of won deals (median).
select
    case when $by_rep then sales_rep end as sales_rep,
    count(*) filter (where stage = 'won') as n_won,
    count(*) filter (where stage = 'lost') as n_lost,
    n_won / nullif(n_won + n_lost, 0) as win_rate,
    median(close_date - created_date) filter (
        where stage = 'won' and created_date is not null
    ) as median_cycle_days
from scoped_opportunities($regions, $sales_reps, [])
where close_date between $start_date and $end_date and stage in ('won', 'lost')
group by 1
