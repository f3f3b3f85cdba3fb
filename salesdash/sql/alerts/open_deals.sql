-- grain: one row per opportunity open on $as_of (created on or before it, in an open stage): its
-- age, amount, and the historical win rate from its stage — won / closed among the deals closed
-- on or before $as_of that reached that stage (funnel.py's rule; a lost deal without lost_stage
-- counts as having reached the last open stage the data uses, as the funnel assumes).
-- scope: whole store — the refresh's alerts step, for everyone; pages read alerts/stored.sql.
with used as (
    select max(rank_used) as last_open_rank
    from (
        select open_stage_rank(stage) as rank_used from opportunities
        union all
        select open_stage_rank(lost_stage) from opportunities
    )
),

closed as (
    select
        coalesce(reached_rank(stage, lost_stage), used.last_open_rank) as reached_rank,
        stage = 'won' as is_won
    from opportunities, used
    where stage in ('won', 'lost') and coalesce(close_date, created_date) <= $as_of
),

stage_rates as (
    select
        k.stage_rank,
        count(*) filter (where c.is_won) / count(*) as win_rate
    from range(1, 5) as k(stage_rank)
    join closed as c on c.reached_rank >= k.stage_rank
    group by k.stage_rank
),

open_deals as (
    select
        opportunity_id,
        stage,
        open_stage_rank(stage) as stage_rank,
        region,
        sales_rep,
        customer_id,
        coalesce(amount, 0) as amount,
        created_date,
        close_date,
        ($as_of::date - created_date)::integer as age_days
    from opportunities
    where open_stage_rank(stage) is not null and created_date <= $as_of
)

select
    d.*,
    coalesce(r.win_rate, 0) as win_rate,
    d.amount * coalesce(r.win_rate, 0) as weighted_amount
from open_deals as d
left join stage_rates as r on d.stage_rank = r.stage_rank
order by d.opportunity_id
