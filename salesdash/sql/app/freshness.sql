-- grain: one row: how fresh the database is.
select
    (select max(order_date) from orders) as last_order_date,
    (select min(order_date) from orders) as first_order_date,
    (select max(loaded_at) from ingest_log where undone_at is null) as last_loaded_at,
    (select count(*) from orders) + (select count(*) from customers)
        + (select count(*) from opportunities) + (select count(*) from targets)
        + (select count(*) from teams) as n_rows
