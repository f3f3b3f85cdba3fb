-- grain: one row per close day with won or lost deals in one target scope, up to $as_of.
-- Opportunities carry no category; a channel scope matches the lead's source.
select
    close_date as day,
    count(*) filter (where stage = 'won') as n_won,
    count(*) as n_closed
from opportunities
where close_date <= $as_of
  and stage in ('won', 'lost')
  and in_list($regions, region)
  and case $scope_kind
      when 'company' then true
      when 'region' then region = $scope_value
      when 'channel' then source = $scope_value
      when 'sales_rep' then sales_rep = $scope_value
      when 'product' then product = $scope_value
      else false
  end
group by close_date
order by day
