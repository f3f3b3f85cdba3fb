-- grain: opportunities rows whose region was lent by the teams batch being undone get it back to null.
update opportunities
set region = null, region_from_batch = null
where region_from_batch = $batch_id;
