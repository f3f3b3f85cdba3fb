-- grain: one row per period (ds, truncated to $grain) × value of $by ('total' for one series).
-- $shift_years moves dates forward (1 = last year drawn on this year's axis).
select
    date_trunc($grain, order_date + to_years(cast($shift_years as integer)))::date as ds,
    case $by
        when 'region' then region
        when 'channel' then channel
        when 'sales_rep' then sales_rep
        when 'category' then category
        when 'product' then product
        else 'total'
    end as value,
    sum(revenue) as revenue,
    sum(
        case $order_count
            when 'product' then n_orders
            when 'category' then n_category_orders
            else n_orders_total
        end
    ) as n_orders
from rollup_sales_product_day
where
    order_date between $start_date and $end_date
    and in_list($regions, region)
    and in_list($channels, channel)
    and in_list($sales_reps, sales_rep)
    and in_list($categories, category)
    and in_list($products, product)
group by 1, 2
order by 1, 2
