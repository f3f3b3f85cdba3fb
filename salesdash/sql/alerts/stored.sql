-- grain: one row per stored alert in the regions $regions and of the reps $sales_reps (empty: every
-- alert; company-wide alerts, region null, only then; a rep's, only the alerts naming them), most
-- costly first, with what people did with it:
--   state: 'open', 'acknowledged', or 'snoozed' (until snoozed_until, on or after $on);
--   is_worse: its severity or money at stake (by more than $worse_share) grew since then;
--   is_shown: open, or worse than when it was put aside.
with joined as (
    select
        a.*,
        s.status as state_status,
        s.user_name as state_user,
        s.changed_at as state_changed_at,
        s.snoozed_until,
        coalesce(
            a.severity_rank > s.severity_rank
            or a.money_at_stake > s.money_at_stake * (1 + $worse_share),
            false
        ) as is_worse
    from alerts as a
    left join alert_state as s on a.alert_key = s.alert_key
    where in_list($regions, a.region) and in_list($sales_reps, a.sales_rep)
),

final as (
    select
        *,
        case
            when state_status = 'acknowledged' then 'acknowledged'
            when state_status = 'snoozed' and snoozed_until >= $on then 'snoozed'
            else 'open'
        end as state
    from joined
)

select *, state = 'open' or is_worse as is_shown
from final
order by severity_rank desc, money_at_stake desc, alert_key
