-- grain: one person's access set (added or replaced) and the change logged, in the caller's
-- transaction.
insert or replace into access_grants
values ($email, $role, $regions, $sales_rep, $changed_by, $changed_at);

insert into access_log
values ($changed_at, $changed_by, 'grant', $email, $role, $regions, $sales_rep);
