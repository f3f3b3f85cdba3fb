-- grain: one row per order_date × region × channel × sales_rep × category × product.
-- Distinct orders are not additive, so each cell carries three exact order counts:
--   n_orders           orders with a line of this product (exact per product);
--   n_category_orders  orders counted once per category, at their first product in it
--                      (sums over a category's products give its distinct orders);
--   n_orders_total     orders counted once, at their first (category, product)
--                      (sums over any cells give distinct orders when no product filter applies).
-- An order's date, region, channel and rep are its header: the same on every line.
create or replace table rollup_sales_cube as
with order_products as (
    select
        order_id,
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
    group by all
),

ranked as (
    select
        *,
        row_number() over (partition by order_id order by category, product) = 1
            as is_order_head,
        row_number() over (partition by order_id, category order by product) = 1
            as is_category_head
    from order_products
)

select
    order_date,
    region,
    channel,
    sales_rep,
    category,
    product,
    sum(revenue) as revenue,
    sum(quantity) as quantity,
    sum(n_lines) as n_lines,
    count(*) as n_orders,
    count(*) filter (where is_category_head) as n_category_orders,
    count(*) filter (where is_order_head) as n_orders_total
from ranked
group by all
order by order_date;
