-- grain: one row per setting of a company's store (salesdash/settings.py): what a person chose,
-- who, when. Changed by writers only and published with the data.
create table if not exists store_settings (
    key varchar primary key,
    value varchar not null,
    changed_by varchar,
    changed_at timestamp not null
);
