{#-
    The ledger of printed figures: one row per figure of the documents the warehouse reproduces
    (the 2019 status report's values and change cells, the 2017 and 2011 survey reports, the 2003
    mapping, the 2015 BrukerPlan booklet), the figure as printed, the figure computed here from the
    marts by SQL, and whether they match: the computed value rounded to the printed decimals is
    within the tolerance of the printed one (a printed N/A matches when nothing is computed).
    Privacy: a figure about 1-4 persons (or forms) is not published here (computed is NULL).
    A figure the warehouse cannot compute says why. A warn-severity test lists the mismatches.
-#}

with

checks as (

    select * from {{ ref('stg_reference__published_figure_checks') }}

),

service_mapping as (

    select * from {{ ref('mart_service_mapping_figures') }}

),

offer_grid as (

    select
        form_stream,
        table_id,
        row_label,
        sum(case when column_label = 'Udekket behov' then n else 0 end) as n_unmet,
        sum(case when column_label in ('Udekket behov', 'Mottar tilbudet') then n else 0 end) as n_needing,
        coalesce(max(case when is_suppressed then 1 else 0 end) = 1, false) as has_suppressed

    from service_mapping
    where table_id = 'Tabell 6-3'
    group by form_stream, table_id, row_label

),

booklet as (

    select * from {{ ref('mart_brukerplan_booklet') }}

),


item_measures as (

    select 'top2_share' as measure
    union all
    select 'mean' as measure
    union all
    select 'mean_as_coded' as measure

),

figure_measures as (

    select 'n' as measure
    union all
    select 'base' as measure
    union all
    select 'percent' as measure
    union all
    select 'mean' as measure
    union all
    select 'sd' as measure
    union all
    select 'max' as measure

),

need_measures as (

    select 'need_n' as measure
    union all
    select 'need_percent' as measure
    union all
    select 'offered_n' as measure
    union all
    select 'offered_percent' as measure
    union all
    select 'ratio' as measure

),

booklet_measures as (

    select 'weighted_n' as measure
    union all
    select 'share' as measure
    union all
    select 'mean' as measure

),

computed as (

    -- every computed figure: (source, key, measure, value, persons it is about)

    select
        'indicator_values' as figure_source,
        cast(indicator_no as varchar) || '|' || cast(year as varchar) as figure_key,
        'value' as measure,
        value as computed,
        n_units as n_persons,
        false as is_suppressed
    from {{ ref('fct_indicator_values') }}

    union all

    -- NOK amounts as a report prints them: in the kroner of its report year (price index ratio)
    select
        'indicator_values' as figure_source,
        cast(amounts.indicator_no as varchar) || '|' || cast(amounts.year as varchar) as figure_key,
        'value_in_kroner_of_' || cast(report_prices.year as varchar) as measure,
        amounts.value * report_prices.price_index / nullif(own_prices.price_index, 0) as computed,
        amounts.n_units as n_persons,
        false as is_suppressed
    from {{ ref('fct_indicator_values') }} as amounts
    inner join {{ ref('stg_price_index__adjusted_indicators') }} as adjusted
        on amounts.indicator_no = adjusted.indicator_no
    inner join {{ ref('dim_price_index') }} as own_prices
        on amounts.year = own_prices.year
    cross join {{ ref('dim_price_index') }} as report_prices
    where report_prices.price_index is not null

    union all

    select
        'indicator_changes' as figure_source,
        cast(indicator_no as varchar) || '|' || cast(from_year as varchar) || '|' || cast(to_year as varchar)
            as figure_key,
        case when change is null then 'change:na' else 'change:' || change_unit end as measure,
        change as computed,
        null as n_persons,
        false as is_suppressed
    from {{ ref('mart_indicator_changes') }}
    group by indicator_no, from_year, to_year, change, change_unit

    union all

    select
        'survey_items' as figure_source,
        items.instrument || '|' || cast(items.wave as varchar) || '|' || items.item_code || '|'
        || items.group_type || '|' || items.group_value as figure_key,
        measures.measure,
        case measures.measure
            when 'top2_share' then items.top2_share
            when 'mean' then items.mean
            when 'mean_as_coded' then items.mean_as_coded
        end as computed,
        items.n_valid as n_persons,
        false as is_suppressed
    from {{ ref('mart_survey_item_summary') }} as items
    cross join item_measures as measures

    union all

    select
        'survey_distribution' as figure_source,
        instrument
        || '|'
        || cast(wave as varchar)
        || '|'
        || item_code
        || '|'
        || group_type
        || '|'
        || group_value
        || '|' || cast(code as varchar) as figure_key,
        'percent_valid' as measure,
        percent_valid as computed,
        n_valid as n_persons,
        false as is_suppressed
    from {{ ref('mart_survey_item_distribution') }}

    union all

    select
        'survey_indices' as figure_source,
        instrument
        || '|'
        || cast(wave as varchar)
        || '|'
        || index_code
        || '|'
        || group_type
        || '|'
        || group_value
            as figure_key,
        'mean' as measure,
        mean as computed,
        n as n_persons,
        false as is_suppressed
    from {{ ref('mart_survey_index_summary') }}

    union all

    select
        'survey_respondents' as figure_source,
        instrument || '|' || cast(wave as varchar) || '|' || group_type || '|' || group_value as figure_key,
        'n_respondents' as measure,
        n_respondents as computed,
        n_respondents as n_persons,
        false as is_suppressed
    from {{ ref('mart_survey_respondents') }}

    union all

    select
        'service_mapping' as figure_source,
        service_mapping.form_stream || '|' || service_mapping.table_id || '|' || service_mapping.row_label
        || '|' || service_mapping.column_label as figure_key,
        measures.measure,
        case measures.measure
            when 'n' then service_mapping.n
            when 'base' then service_mapping.base_n
            when 'percent' then service_mapping.percent_of_base
            when 'mean' then service_mapping.mean_value
            when 'sd' then service_mapping.sd_value
            when 'max' then service_mapping.max_value
        end as computed,
        coalesce(service_mapping.base_n, service_mapping.n) as n_persons,
        service_mapping.is_suppressed and measures.measure <> 'base' as is_suppressed
    from service_mapping
    cross join figure_measures as measures

    union all

    select
        'service_mapping' as figure_source,
        form_stream || '|' || table_id || '|' || row_label as figure_key,
        'unmet_among_needing' as measure,
        100.0 * n_unmet / nullif(n_needing, 0) as computed,
        n_needing as n_persons,
        has_suppressed as is_suppressed
    from offer_grid

    union all

    select
        'need_offered' as figure_source,
        need.measure as figure_key,
        measures.measure,
        case measures.measure
            when 'need_n' then need.need_n
            when 'need_percent' then need.need_percent
            when 'offered_n' then need.offered_n
            when 'offered_percent' then need.offered_percent
            when 'ratio' then need.ratio
        end as computed,
        need.base_n as n_persons,
        false as is_suppressed
    from {{ ref('mart_service_mapping_need_offered') }} as need
    cross join need_measures as measures

    union all

    select
        'booklet' as figure_source,
        cast(booklet.year as varchar) || '|' || booklet.table_id || '|' || booklet.row_label || '|'
        || booklet.column_label as figure_key,
        measures.measure,
        case measures.measure
            when 'weighted_n' then booklet.weighted_n
            when 'share' then booklet.share_percent
            when 'mean' then booklet.weighted_mean
        end as computed,
        coalesce(booklet.n_registrations, booklet.base_registrations) as n_persons,
        booklet.is_suppressed
    from booklet
    cross join booklet_measures as measures

),

joined as (

    select
        checks.*,
        computed.computed as computed_raw,
        computed.n_persons,
        coalesce(computed.is_suppressed, false) as is_suppressed,
        computed.figure_key is not null as is_found

    from checks
    left join computed
        on
            checks.figure_source = computed.figure_source
            and checks.figure_key = computed.figure_key
            and checks.measure = computed.measure

),

rounded as (

    select
        joined.*,
        {{ round_float('joined.computed_raw', 'joined.decimals') }} as computed_rounded

    from joined

),

final as (

    select
        document,
        check_id,
        location,
        description,
        expected_text,
        expected,
        cast(case
            when n_persons between 1 and 4 or is_suppressed then null
            else computed_rounded
        end as float8) as computed,
        cast(case when n_persons between 1 and 4 or is_suppressed then null else computed_raw end as float8)
            as computed_unrounded,
        decimals,
        tolerance,
        case
            when not_computable_reason is not null then null
            when n_persons between 1 and 4 or is_suppressed then null
            when expected is null then computed_raw is null
            when computed_raw is null then false
            else abs(computed_rounded - expected) <= tolerance + 1e-9
        end as matches,
        case
            when not_computable_reason is not null then 'not_computable'
            when n_persons between 1 and 4 or is_suppressed then 'not_published'
            when expected is null and computed_raw is null then 'match'
            when computed_raw is null and not is_found then 'not_found'
            when computed_raw is null then 'not_computed'
            when abs(computed_rounded - expected) <= tolerance + 1e-9 then 'match'
            else 'mismatch'
        end as status,
        cast(case
            when not_computable_reason is not null then not_computable_reason
            when n_persons between 1 and 4 then 'Gjelder færre enn 5 personer: publiseres ikke'
            when is_suppressed then 'Skjult i tabellen (prikket) for personvern: publiseres ikke'
            when known_issue is not null then known_issue
        end as varchar) as note,
        figure_source,
        figure_key,
        measure

    from rounded

)

select * from final
