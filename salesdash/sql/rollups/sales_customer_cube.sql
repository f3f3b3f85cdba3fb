-- grain: one row per customer × order_date × region × channel × sales_rep × category × product,
-- stored in customer order so that a drill into one customer reads a few row groups.
-- Distinct orders are not additive, so each row carries three exact order counts:
--   n_orders           orders with a line of this product (exact per product);
--   n_category_orders  orders counted once per category, at their first product in it
--                      (sums over a category's products give its distinct orders);
--   n_orders_total     orders counted once, at their first (category, product)
--                      (sums over any rows give distinct orders when no product filter applies).
-- An order's date, customer, region, channel and rep are its header: the same on every line.
-- With $full false only the part a batch changed is computed (rollups.py, sql/rollups/changes/):
-- the rows of the changed days, the orders on them ranked over all their lines.
with order_products as (
    select
        order_id,
        customer_id,
        order_date,
        region,
        channel,
        sales_rep,
        category,
        product,
        sum(revenue) as revenue,
        sum(quantity) as quantity,
        count(*) as n_lines
    from orders
    where
        $full
        or order_id in (
            select order_id from orders
            where order_date in (select order_date from rollup_changed_days)
        )
    group by all
),

-- one window, so one sort: an order's first line is its head, and a line whose category differs
-- from the line before it heads that category
ranked as (
    select
        *,
        row_number() over by_order = 1 as is_order_head,
        is_order_head or lag(category) over by_order is distinct from category as is_category_head
    from order_products
    window by_order as (partition by order_id order by category, product)
)

select
    c.customer_key,
    r.order_date,
    r.region,
    r.channel,
    r.sales_rep,
    r.category,
    r.product,
    sum(r.revenue) as revenue,
    sum(r.quantity) as quantity,
    sum(r.n_lines) as n_lines,
    count(*) as n_orders,
    count(*) filter (where r.is_category_head) as n_category_orders,
    count(*) filter (where r.is_order_head) as n_orders_total
from ranked as r
left join rollup_sales_customer as c on c.customer_id = r.customer_id
where $full or r.order_date in (select order_date from rollup_changed_days)
group by all
order by c.customer_key, r.order_date;
