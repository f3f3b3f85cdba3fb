-- grain: one row: how fresh the database is.
-- last_order_date is the data's real last day: the last order date that had already come when
-- its batch was loaded. A pre-dated order, or a typo a year ahead that got past the plausible
-- window, must not move every default view past the data (rows without a logged batch count).
select
    (
        select max(o.order_date)
        from orders as o
        left join ingest_log as l on l.batch_id = o.batch_id
        where l.loaded_at is null or o.order_date <= l.loaded_at::date
    ) as last_order_date,
    (select min(order_date) from orders) as first_order_date,
    (select max(loaded_at) from ingest_log where undone_at is null) as last_loaded_at,
    (select count(*) from orders) + (select count(*) from customers)
        + (select count(*) from opportunities) + (select count(*) from targets)
        + (select count(*) from teams) as n_rows
