-- grain: one row per product name of a batch that the products catalogue lacks (for warnings).
-- For an orders/opportunities batch: its names not in the catalogue; for a products batch: names
-- already loaded in orders/opportunities that the catalogue (now) lacks. Near match: the same
-- name ignoring case, spaces and punctuation ("GTXPro" vs "GTX Pro").
with catalogue as (
    select product, regexp_replace(lower(product), '[^a-z0-9\p{L}]', '', 'g') as norm
    from products
),
used as (
    select 'orders' as table_name, product, batch_id from orders
    union all
    select 'opportunities' as table_name, product, batch_id from opportunities
),
relevant as (
    select table_name, product, count(*) as n_rows
    from used
    where product is not null
        and ($kind = 'products' or (table_name = $kind and batch_id = $batch_id))
    group by table_name, product
),
unknown as (
    select r.*, regexp_replace(lower(r.product), '[^a-z0-9\p{L}]', '', 'g') as norm
    from relevant as r
    where exists (select 1 from catalogue)
        and not exists (select 1 from catalogue as c where c.product = r.product)
)
select
    u.table_name,
    u.product,
    u.n_rows,
    (select min(c.product) from catalogue as c where c.norm = u.norm) as near_match
from unknown as u
order by u.table_name, u.n_rows desc, u.product;
