-- grain: one row per person on the access list, by email.
select email, role, regions, sales_rep, granted_by, granted_at
from access_grants
order by email
