-- grain: one row per opportunity in the scope's regions, reps and products, as the pipeline
-- forecast reads it (forecast/pipeline.py): dates, stage, lost stage, amount, region, product.
-- Deals created after $end_date are left out; a deal's later close is kept (the model treats
-- closes after its as-of date as still open).
select
    opportunity_id,
    created_date,
    close_date,
    stage,
    lost_stage,
    amount,
    region,
    product
from scoped_opportunities($regions, $sales_reps, $products)
where created_date is null or created_date <= $end_date
order by opportunity_id
