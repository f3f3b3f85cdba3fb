-- Macros the funnel queries share (stage order, how far a deal got, grouping).
-- The canonical stage order: lead 1 → qualified 2 → demo 3 → proposal 4 → won 5 (lost: no rank).
create or replace macro stage_rank(s) as
    list_position(['lead', 'qualified', 'demo', 'proposal', 'won'], s);

-- The rank of an open stage (1–4), null for won, lost and anything else.
create or replace macro open_stage_rank(s) as
    list_position(['lead', 'qualified', 'demo', 'proposal'], s);

-- The rank of the last stage an opportunity reached: won deals passed every stage; a lost deal
-- reached its lost_stage (null when the export does not say: funnel.py applies its rule).
-- list_position rather than a CASE per stage name: it is several times faster on 1M rows.
create or replace macro reached_rank(stage, lost_stage) as
    case
        when stage = 'won' then 5
        when stage = 'lost' then open_stage_rank(lost_stage)
        else open_stage_rank(stage)
    end;

-- The group an opportunity falls in for a breakdown; month = creation month (a cohort),
-- close_month = the month it closed (undated or open deals have none).
create or replace macro funnel_group(dim, region, sales_rep, product, source, created_date, close_date) as
    case dim
        when 'region' then region
        when 'sales_rep' then sales_rep
        when 'product' then product
        when 'source' then source
        when 'month' then strftime(created_date, '%Y-%m')
        when 'close_month' then strftime(coalesce(close_date, created_date), '%Y-%m')
        else 'all'
    end;
