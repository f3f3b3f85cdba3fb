-- grain: one row per (dimension, value) of sales_rep, category and product sold in the scope's
-- regions and channels (the user's rights included; the caller clears the other filters), busiest first within a dimension: the Forecast page's choices for a
-- selection no stored series covers.
with sold as (
    select sales_rep, category, product, revenue
    from scoped_product_days(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )
),

values_sold as (
    select 'sales_rep' as dimension, sales_rep as value, sum(revenue) as revenue
    from sold
    where sales_rep is not null
    group by sales_rep
    union all
    select 'category', category, sum(revenue)
    from sold
    where category is not null
    group by category
    union all
    select 'product', product, sum(revenue)
    from sold
    where product is not null
    group by product
)

select dimension, value
from values_sold
order by dimension, revenue desc, value
