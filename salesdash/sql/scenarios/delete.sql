-- grain: one saved scenario removed by name.
delete from scenarios where name = $scenario_name;
