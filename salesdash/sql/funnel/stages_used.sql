-- grain: one row per open canonical stage (lead … proposal) the data set uses, in stage or
-- lost_stage, over every opportunity (not only the scope: a stage nobody reached in a period
-- still shows, with zero).
-- scope: whole store — which stages the company's pipeline has; stage names, no figures.
with used as (
    select stage as s from opportunities
    union
    select lost_stage as s from opportunities
)

select s as stage, open_stage_rank(s) as stage_rank
from used
where open_stage_rank(s) is not null
order by stage_rank
