-- grain: one row per change of the access list, newest first.
select changed_at, changed_by, action, email, role, regions, sales_rep
from access_log
order by changed_at desc
