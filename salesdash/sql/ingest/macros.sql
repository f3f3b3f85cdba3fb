-- grain: scalar macros that turn export text into canonical values (null when unreadable).
-- Fast paths first (plain ISO dates, plain numbers): coalesce only evaluates the slower forms
-- for the rows the fast ones could not read.

-- A date from: ISO (with or without a time), 2025/7/3, 20250703, 2025年7月3日, an Excel serial
-- number, or d/m/y vs m/d/y (day_first decides; the caller decides it from the whole column).
create or replace temp macro sd_date_slow(t, day_first) as (
    case
        when regexp_full_match(t, '\d{4}[/.-]\d{1,2}[/.-]\d{1,2}')
            then try_strptime(regexp_replace(t, '[/.]', '-', 'g'), '%Y-%m-%d')::date
        when regexp_full_match(t, '\d{8}')
            then try_strptime(t, '%Y%m%d')::date
        when regexp_full_match(t, '\d{4}年\d{1,2}月\d{1,2}日?')
            then try_strptime(rtrim(t, '日') || '日', '%Y年%m月%d日')::date
        when regexp_full_match(t, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
            then case
                when day_first then try_strptime(regexp_replace(t, '[/.]', '-', 'g'), '%d-%m-%Y')
                else try_strptime(regexp_replace(t, '[/.]', '-', 'g'), '%m-%d-%Y')
            end::date
        -- Excel serial day numbers: 1954-10-03 .. 2119-01-07 (day 0 is 1899-12-30)
        when regexp_full_match(t, '\d{5}(\.\d+)?')
            and try_cast(t as double) between 20000 and 80000
            then (date '1899-12-30' + cast(floor(try_cast(t as double)) as integer))::date
        else null
    end
);

create or replace temp macro sd_date(s, day_first) as (
    coalesce(
        try_cast(s as date),
        case
            when trim(s) <> ''
                then sd_date_slow(split_part(replace(trim(s), 'T', ' '), ' ', 1), day_first)
        end
    )
);


-- 1 when a d/m/y-shaped value must be day-first (first part > 12), 2 when it must be month-first
-- (second part > 12), 3 when either reading works and they differ; null for other shapes.
create or replace temp macro sd_dm_order_parts(a, b) as (
    case when a > 12 and b <= 12 then 1 when b > 12 and a <= 12 then 2 when a <> b then 3 end
);

create or replace temp macro sd_dm_order(s) as (
    case
        when regexp_full_match(split_part(trim(s), ' ', 1), '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
            then sd_dm_order_parts(
                cast(regexp_extract(trim(s), '^(\d{1,2})', 1) as integer),
                cast(regexp_extract(trim(s), '^\d{1,2}[/.-](\d{1,2})', 1) as integer)
            )
    end
);


-- A number from: 1,234.50, ￥1,234.50 / ¥ / $ / €, (120.00) as negative, 12% as 0.12, 1.2万, 3亿.
create or replace temp macro sd_number_slow(t) as (
    (case when regexp_full_match(t, '[-−]?\(.*\)') then -1 else 1 end)
    * (case when starts_with(t, '−') then -1 else 1 end)
    * try_cast(
        nullif(regexp_replace(t, '[\s,￥¥$€£()%万亿−]|RMB|CNY|USD|EUR|元', '', 'g'), '')
        as double
    )
    * (case
        when ends_with(t, '%') then 0.01
        when contains(t, '万') then 10000
        when contains(t, '亿') then 100000000
        else 1
    end)
);

create or replace temp macro sd_number(s) as (
    coalesce(try_cast(s as double), case when trim(s) <> '' then sd_number_slow(trim(s)) end)
);


-- A whole number (line numbers): plain digits; '3.0' is 3, '3.5' is not a line number (a bare
-- cast to integer would round it to 4).
create or replace temp macro sd_integer(s) as (
    case when try_cast(s as double) = try_cast(s as integer) then try_cast(s as integer) end
);

-- A canonical stage from English or Chinese names (null for names not recognised).
create or replace temp macro sd_stage(s) as (
    case regexp_replace(lower(trim(s)), '[\s_-]+', ' ', 'g')
        when 'lead' then 'lead' when 'leads' then 'lead' when 'prospecting' then 'lead'
        when 'prospect' then 'lead' when 'new' then 'lead'
        when '线索' then 'lead' when '客户开发' then 'lead'
        when 'qualified' then 'qualified' when 'qualification' then 'qualified'
        when 'engaging' then 'qualified' when 'needs analysis' then 'qualified'
        when '需求分析' then 'qualified' when '需求确认' then 'qualified'
        when 'demo' then 'demo' when 'demonstration' then 'demo' when '产品演示' then 'demo'
        when 'proposal' then 'proposal' when 'quote' then 'proposal' when 'quotation' then 'proposal'
        when 'negotiation' then 'proposal' when '报价' then 'proposal' when '方案报价' then 'proposal'
        when 'won' then 'won' when 'closed won' then 'won' when 'win' then 'won'
        when '赢单' then 'won' when '合同签订' then 'won' when '成交' then 'won'
        when 'lost' then 'lost' when 'closed lost' then 'lost' when 'loss' then 'lost'
        when '输单' then 'lost' when '丢单' then 'lost'
    end
);

create or replace temp macro sd_channel_slow(s) as (
    case
        when s is null or trim(s) = '' then null
        else coalesce(
            case regexp_replace(lower(trim(s)), '[\s_-]+', ' ', 'g')
                when 'direct' then 'direct' when 'direct sales' then 'direct'
                when 'sales team' then 'direct' when '直销' then 'direct' when '销售团队' then 'direct'
                when 'store' then 'store' when 'stores' then 'store' when 'retail' then 'store'
                when 'own store' then 'store' when '门店' then 'store' when '专卖店' then 'store'
                when 'online' then 'online' when 'online shop' then 'online'
                when 'e commerce' then 'online' when 'ecommerce' then 'online' when 'web' then 'online'
                when '线上' then 'online' when '网店' then 'online' when '电商' then 'online'
            end,
            trim(s)
        )
    end
);

-- A canonical channel from common English and Chinese names; other names are kept as written.
create or replace temp macro sd_channel(s) as (
    case when s in ('direct', 'store', 'online') then s else sd_channel_slow(s) end
);

-- Targets: the first and last day of a period label 2025, 2025-Q3, 2025Q3, 2025-07, 2025/7,
-- 2025年7月, 2025年Q3, 2025年第3季度 (null for other labels).
create or replace temp macro sd_period_start(s) as (
    case
        when regexp_full_match(trim(s), '\d{4}年?')
            then make_date(cast(left(trim(s), 4) as integer), 1, 1)
        when regexp_full_match(trim(s), '\d{4}\s*[-/年]?\s*(Q|q|第)[1-4](季度)?')
            then make_date(
                cast(left(trim(s), 4) as integer),
                3 * cast(regexp_extract(trim(s), '([1-4])(季度)?$', 1) as integer) - 2,
                1
            )
        when regexp_full_match(trim(s), '\d{4}\s*[-/年.]\s*\d{1,2}月?')
            and cast(regexp_extract(trim(s), '(\d{1,2})月?$', 1) as integer) between 1 and 12
            then make_date(
                cast(left(trim(s), 4) as integer),
                cast(regexp_extract(trim(s), '(\d{1,2})月?$', 1) as integer),
                1
            )
    end
);

create or replace temp macro sd_period_end(s) as (
    case
        when regexp_full_match(trim(s), '\d{4}年?') then sd_period_start(s) + interval 1 year
        when regexp_full_match(trim(s), '\d{4}\s*[-/年]?\s*(Q|q|第)[1-4](季度)?')
            then sd_period_start(s) + interval 3 month
        else sd_period_start(s) + interval 1 month
    end::date - 1
);
