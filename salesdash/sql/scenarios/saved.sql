-- grain: one row per saved scenario, by name.
select name, steps, saved_at
from scenarios
order by name
