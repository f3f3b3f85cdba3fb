-- grain: one row per open stage rank 1–4: the historical win rate from that stage, i.e. won /
-- closed among the closed deals (of any date, in the scope's filters) that reached it.
with closed as (
    select
        reached_rank(stage, lost_stage, $assumed_lost_rank) as reached_rank,
        stage = 'won' as is_won
    from opportunities
    where stage in ('won', 'lost')
        and in_list($regions, region)
        and in_list($sales_reps, sales_rep)
        and in_list($products, product)
),

by_rank as (
    select reached_rank, count(*) filter (where is_won) as n_won, count(*) as n_closed
    from closed
    group by reached_rank
),

ranks as (
    select unnest([1, 2, 3, 4]) as stage_rank
)

select
    ranks.stage_rank,
    coalesce(sum(by_rank.n_won), 0) as n_won,
    coalesce(sum(by_rank.n_closed), 0) as n_closed,
    sum(by_rank.n_won) / nullif(sum(by_rank.n_closed), 0) as win_rate_from_stage
from ranks
left join by_rank on by_rank.reached_rank >= ranks.stage_rank
group by ranks.stage_rank
order by ranks.stage_rank
