-- grain: orders rows of the batch just loaded that have no region take their rep's region from teams.
update orders
set region = t.region, region_from_batch = t.batch_id
from teams as t
where orders.batch_id = $batch_id
    and orders.region is null
    and orders.sales_rep = t.sales_rep
    and t.region is not null;
