-- grain: ingest support tables — remembered mappings (one row per header signature), the
-- optional products catalogue (one row per product), and where an inherited region came from.

-- The mapping an analyst confirmed for a file with this exact (normalised) header and kind.
create table if not exists ingest_mappings (
    signature varchar primary key,
    kind varchar not null,
    mapping_json varchar not null,
    saved_at timestamp not null
);

-- natural key: product. Optional: lets imports report product names the catalogue lacks
-- (e.g. "GTXPro" in a pipeline export vs "GTX Pro" in the product list).
create table if not exists products (
    batch_id bigint not null,
    product varchar not null,
    category varchar,
    list_price double
);

-- The teams batch a row's region was inherited from (null: the region came with the row), so
-- undoing that teams batch puts the region back to null exactly.
alter table orders add column if not exists region_from_batch bigint;
alter table opportunities add column if not exists region_from_batch bigint;
