-- grain: the canonical tables (see DESIGN.md) and the ingest log.
-- Every canonical row carries the batch that loaded it, so a batch can be undone.
create sequence if not exists batch_id_seq start 1;

create table if not exists ingest_log (
    batch_id bigint primary key,
    kind varchar not null,
    file_name varchar not null,
    file_sha256 varchar not null,
    encoding varchar,
    mapping_json varchar,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    rows_duplicate bigint not null,
    user_name varchar,
    loaded_at timestamp not null,
    undone_at timestamp
);

-- natural key: (order_id, line_no)
create table if not exists orders (
    batch_id bigint not null,
    order_id varchar not null,
    line_no integer not null,
    order_date date not null,
    customer_id varchar,
    region varchar,
    channel varchar,
    sales_rep varchar,
    product varchar,
    category varchar,
    quantity double,
    unit_price double,
    revenue double not null,
    cost double
);

-- natural key: customer_id
create table if not exists customers (
    batch_id bigint not null,
    customer_id varchar not null,
    customer_name varchar,
    region varchar,
    segment varchar,
    city varchar,
    signup_date date,
    birthday date,
    sales_rep varchar,
    phone varchar,
    email varchar
);

-- natural key: opportunity_id. stage is canonical (lead, qualified, demo, proposal, won, lost);
-- lost_stage is the last stage a lost deal reached, when the export says so.
create table if not exists opportunities (
    batch_id bigint not null,
    opportunity_id varchar not null,
    created_date date,
    close_date date,
    stage varchar not null,
    lost_stage varchar,
    amount double,
    sales_rep varchar,
    customer_id varchar,
    product varchar,
    region varchar,
    source varchar,
    lost_reason varchar
);

-- natural key: (period_start, period_end, scope, scope_value, metric)
create table if not exists targets (
    batch_id bigint not null,
    period_start date not null,
    period_end date not null,
    scope varchar not null,
    scope_value varchar,
    metric varchar not null,
    target double not null,
    owner varchar,
    note varchar
);

-- natural key: sales_rep
create table if not exists teams (
    batch_id bigint not null,
    sales_rep varchar not null,
    manager varchar,
    region varchar
);
