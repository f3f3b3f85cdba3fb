-- grain: one row per deal won on or before $as_of with a creation date: its region, amount,
-- close date and sales cycle in days (close − created).
-- scope: whole store — the refresh's alerts step, for everyone; pages read alerts/stored.sql.
select
    region,
    coalesce(amount, 0) as amount,
    close_date,
    (close_date - created_date)::integer as cycle_days
from opportunities
where stage = 'won' and close_date <= $as_of and created_date is not null
