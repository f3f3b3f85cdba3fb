-- grain: the Watch tables. alerts holds the open alerts of the last refresh (one row per alert
-- key, replaced whole by salesdash.alerts.refresh); the others are kept across refreshes, loads
-- and undo: what people did with an alert (alert_state), what was sent to whom (alert_sends),
-- and each target's chance of being hit per data version (alert_target_history), so a refresh
-- can say how far it moved since the previous version.
create table if not exists alerts (
    alert_key varchar primary key,
    kind varchar not null,
    severity varchar not null,
    severity_rank integer not null,
    owner_kind varchar not null,
    owner varchar not null,
    region varchar,
    sales_rep varchar,
    customer_id varchar,
    subject varchar not null,
    as_of date not null,
    facts_json varchar not null,
    money_at_stake double not null,
    money_per_day double not null,
    response varchar not null,
    link_page varchar not null,
    link_params_json varchar not null,
    target_label varchar,
    p_hit double,
    p_hit_if_lost double,
    p_hit_change double,
    data_version varchar not null,
    first_seen_at timestamp not null,
    computed_at timestamp not null
);

-- One row per alert key someone acknowledged or snoozed; severity_rank and money_at_stake are
-- the alert's at that moment, so "it got worse since" can be told.
create table if not exists alert_state (
    alert_key varchar primary key,
    status varchar not null,
    user_name varchar,
    changed_at timestamp not null,
    snoozed_until date,
    severity_rank integer not null,
    money_at_stake double not null
);

-- natural key: (recipient, alert_key); the alert as last sent to that recipient.
create table if not exists alert_sends (
    recipient varchar not null,
    alert_key varchar not null,
    severity_rank integer not null,
    money_at_stake double not null,
    sent_at timestamp not null,
    primary key (recipient, alert_key)
);

-- natural key: (data_version, target_key).
create table if not exists alert_target_history (
    data_version varchar not null,
    target_key varchar not null,
    p_hit double not null,
    as_of date not null,
    computed_at timestamp not null,
    primary key (data_version, target_key)
);

-- One row per refresh of the alerts (whole, or the clock rules only): when, for which data.
create table if not exists alert_runs (
    computed_at timestamp not null,
    data_version varchar not null,
    as_of date,
    n_alerts integer not null
);
