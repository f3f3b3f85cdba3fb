-- grain: one row: lost deals created in the period whose export gave no lost_stage (counted as
-- having reached the assumed stage, see funnel.py).
select count(*) as n
from opportunities
where stage = 'lost'
    and (lost_stage is null or stage_rank(lost_stage) > 4 or stage_rank(lost_stage) is null)
    and created_date between $start_date and $end_date
    and in_list($regions, region)
    and in_list($sales_reps, sales_rep)
    and in_list($products, product)
