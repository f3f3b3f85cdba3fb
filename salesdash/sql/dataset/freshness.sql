-- grain: one row: when the database was last loaded and how many rows it holds (its order dates
-- are dataset/order_date_range.sql).
-- scope: whole store — the freshness line under every page title: a load time and a row count.
select
    (select max(loaded_at) from ingest_log where undone_at is null) as last_loaded_at,
    (select count(*) from orders) + (select count(*) from customers)
        + (select count(*) from opportunities) + (select count(*) from targets)
        + (select count(*) from teams) as n_rows
