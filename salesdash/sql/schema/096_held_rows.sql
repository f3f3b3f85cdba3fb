-- grain: one row per canonical row a batch took out of its table, kept so that undo and redo can
-- put it back exactly: the rows of an undone batch (replaced_by null: redo brings them back) and
-- the rows a "replace the months" batch replaced (replaced_by: that batch; its undo brings them
-- back). One table per kind: the kind's own columns (batch_id is the row's own batch), then
-- replaced_by.
create table if not exists held_orders as
select *, cast(null as bigint) as replaced_by from orders limit 0;
create table if not exists held_customers as
select *, cast(null as bigint) as replaced_by from customers limit 0;
create table if not exists held_opportunities as
select *, cast(null as bigint) as replaced_by from opportunities limit 0;
create table if not exists held_targets as
select *, cast(null as bigint) as replaced_by from targets limit 0;
create table if not exists held_teams as
select *, cast(null as bigint) as replaced_by from teams limit 0;
create table if not exists held_products as
select *, cast(null as bigint) as replaced_by from products limit 0;

-- A batch that replaced the rows of the months it covers: the first and last day of those months
-- and how many rows it replaced (kept apart from ingest_log, whose columns others insert by
-- position).
create table if not exists batch_replacements (
    batch_id bigint primary key,
    replaced_from date not null,
    replaced_to date not null,
    rows_replaced bigint not null
);

-- One row per redo: an undone batch brought back (its undone_at is null again), when and by whom.
create table if not exists batch_redos (
    batch_id bigint not null,
    redone_at timestamp not null,
    redone_by varchar
);
