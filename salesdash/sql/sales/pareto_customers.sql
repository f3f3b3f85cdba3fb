-- grain: one row per customer kept for the Pareto view (no category/product filter): the $top
-- largest, about $points evenly spaced along the curve, and the customer at the 20% mark.
-- rank 1 = largest; cum_share = revenue of ranks 1..rank / all; value_share = rank / customers.
with ranked as (
    select
        customer_key,
        revenue,
        row_number() over (order by revenue desc, customer_key) as rank,
        count(*) over () as n_values,
        sum(revenue) over (
            order by revenue desc, customer_key rows between unbounded preceding and current row
        ) / nullif(sum(revenue) over (), 0) as cum_share
    from scoped_customer_revenue($start_date, $end_date, $regions, $channels, $sales_reps)
    where customer_key is not null
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
