-- grain: opportunities rows of the batch just loaded that have no region take their rep's region from teams.
update opportunities
set region = t.region, region_from_batch = t.batch_id
from teams as t
where opportunities.batch_id = $batch_id
    and opportunities.region is null
    and opportunities.sales_rep = t.sales_rep
    and t.region is not null;
