-- grain: one person taken off the access list and the change logged, in the caller's
-- transaction.
insert into access_log
select $changed_at, $changed_by, 'revoke', email, role, regions, sales_rep
from access_grants
where email = $email;

delete from access_grants where email = $email;
