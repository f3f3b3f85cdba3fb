-- grain: one row per customer kept for the Pareto view (no category/product filter): the $top
-- largest, about $points evenly spaced along the curve, and the customer at the 20% mark.
-- rank 1 = largest; cum_share = revenue of ranks 1..rank / all; value_share = rank / customers.
with per_customer as (
    select customer_key, sum(revenue) as revenue
    from rollup_sales_customer_day
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
        and customer_key is not null
    group by customer_key
),

ranked as (
    select
        customer_key,
        revenue,
        row_number() over (order by revenue desc, customer_key) as rank,
        count(*) over () as n_values,
        sum(revenue) over (
            order by revenue desc, customer_key rows between unbounded preceding and current row
        ) / nullif(sum(revenue) over (), 0) as cum_share
    from per_customer
)

select
    c.customer_id as value,
    r.revenue,
    r.rank,
    r.n_values,
    r.cum_share,
    r.rank / r.n_values as value_share,
    r.rank <= greatest(1, ceil(r.n_values * $top_share)) as is_top,
    r.rank <= $top as is_listed
from ranked as r
left join rollup_sales_customer as c on c.customer_key = r.customer_key
where
    r.rank <= $top
    or r.rank % greatest(r.n_values // $points, 1) = 0
    or r.rank = r.n_values
    or r.rank = greatest(1, ceil(r.n_values * $top_share))
order by r.rank
