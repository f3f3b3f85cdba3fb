-- grain: who may use the dashboard and what they may see (salesdash/access.py), and who changed
-- the data: one row per person on the access list, one log line per change of it, and the
-- person who undid a batch (the ingest log already names who loaded it, in user_name).

-- natural key: email (lower case). regions: a manager's regions (a rep's, when narrowed);
-- sales_rep: a rep's own name as it appears in the data.
create table if not exists access_grants (
    email varchar primary key,
    role varchar not null,
    regions varchar[] not null,
    sales_rep varchar,
    granted_by varchar not null,
    granted_at timestamp not null
);

-- One line per grant or revoke, with who made it (an admin's email, or local:<user> for the
-- command line).
create table if not exists access_log (
    changed_at timestamp not null,
    changed_by varchar not null,
    action varchar not null,
    email varchar not null,
    role varchar,
    regions varchar[],
    sales_rep varchar
);

alter table ingest_log add column if not exists undone_by varchar;
