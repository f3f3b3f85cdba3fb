-- grain: opportunities rows without a region take their rep's region from the teams batch just loaded.
update opportunities
set region = t.region, region_from_batch = t.batch_id
from teams as t
where opportunities.region is null
    and opportunities.sales_rep = t.sales_rep
    and t.batch_id = $batch_id
    and t.region is not null;
