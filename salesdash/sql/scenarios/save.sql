-- grain: one saved scenario, replacing one of the same name.
insert or replace into scenarios (name, steps, saved_at)
values ($scenario_name, $steps, $saved_at);
