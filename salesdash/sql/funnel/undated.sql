-- grain: one row per stage: opportunities without created_date in the scope's filters (they
-- belong to no period and no creation month, so no funnel; the page shows how many).
select stage, count(*) as n, coalesce(sum(amount), 0) as amount
from opportunities
where created_date is null
    and in_list($regions, region)
    and in_list($sales_reps, sales_rep)
    and in_list($products, product)
group by stage
order by coalesce(stage_rank(stage), 6), stage
