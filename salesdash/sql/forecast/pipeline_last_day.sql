-- grain: one row: the last day the opportunities table knows of (a deal created or closed on
-- it), where the near term of a company without order exports stands.
-- scope: whole store — the day the near term stands on is the company's, whoever reads it
select max(greatest(created_date, coalesce(close_date, created_date))) as last_day
from opportunities
