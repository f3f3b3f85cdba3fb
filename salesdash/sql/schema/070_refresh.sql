-- grain: the bookkeeping of the refresh step (salesdash/refresh.py) and of publishing
-- (salesdash/store.py): what derived data still has to be rebuilt, and for which data version
-- the rest was built.

-- What the batches since the last refresh changed in the rollups (sql/rollups/changes/capture.sql
-- adds to them inside each batch's transaction; the refresh empties them in its own). A row in
-- rollup_changed_whole means: rebuild every rollup whole (a teams batch, or a first load).
create table if not exists rollup_changed_days (order_date date);
create table if not exists rollup_changed_customers (customer_id varchar);
create table if not exists rollup_changed_months (month date);
create table if not exists rollup_changed_whole (batch_id bigint);

-- One row per refresh step: the data version (sql/dataset/version.sql) it last finished for.
create table if not exists refresh_state (
    step varchar primary key,
    data_version varchar not null,
    seconds double not null,
    refreshed_at timestamp not null
);

-- Results of heavy computations (forecasts and their sample paths) kept by the refresh step so
-- that pages only read them: looked up by a digest of everything the result depends on
-- (salesdash/stored.py). used_version: the last data version whose refresh asked for it.
create table if not exists stored_results (
    key varchar primary key,
    kind varchar not null,
    used_version varchar not null,
    seconds double not null,
    payload blob not null
);

-- Counts the writes committed to this working database, and the last one published.
create table if not exists store_state (changed bigint not null, published bigint not null);
insert into store_state select 0, 0 where not exists (select 1 from store_state);
