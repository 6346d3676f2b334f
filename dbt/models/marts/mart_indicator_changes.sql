{#-
    The change cells of the status tables. For every active indicator: the change between each pair
    of consecutive years from the baseline year to the latest year with data, and the annualised
    change from the baseline year to each later year (one per report year). Rules: see the macros in
    macros/indicator_change_rules.sql and the catalogue's change_rule (none: 1, 2, 6).
-#}

with

indicators as (

    select * from {{ ref('dim_indicator') }}
    where is_active

),

indicator_values as (

    -- constant prices for NOK amounts: a real change, as printed
    select
        indicator_no,
        year,
        value
    from {{ ref('mart_indicator_values_constant_prices') }}

),

to_years as (

    select series.to_year::integer as to_year
    from (
        select coalesce(max(year), {{ var('baseline_year') }}) as last_year from indicator_values
    ) as bounds
    cross join lateral generate_series({{ var('baseline_year') }} + 1, bounds.last_year) as series (to_year)

),

year_pairs as (

    select
        to_year - 1 as from_year,
        to_year,
        false as is_annualised
    from to_years

    union all

    select
        {{ var('baseline_year') }} as from_year,
        to_year,
        true as is_annualised
    from to_years

),

paired_values as (

    select
        indicators.indicator_no,
        year_pairs.from_year,
        year_pairs.to_year,
        year_pairs.is_annualised,
        indicators.change_unit,
        indicators.change_rule,
        indicators.desired_direction,
        from_value.value as from_value,
        to_value.value as to_value

    from indicators
    cross join year_pairs
    left join indicator_values as from_value
        on
            indicators.indicator_no = from_value.indicator_no
            and year_pairs.from_year = from_value.year
    left join indicator_values as to_value
        on
            indicators.indicator_no = to_value.indicator_no
            and year_pairs.to_year = to_value.year

),

computed as (

    select
        *,
        case
            when change_rule = 'none' then null
            when is_annualised
                then {{ annualised_change('from_value', 'to_value', '(to_year - from_year)', 'change_unit') }}
            else {{ year_on_year_change('from_value', 'to_value', 'change_unit') }}
        end as change,
        case
            when change_rule = 'none' then 'no_change_rule'
            when is_annualised then {{ annualised_na_reason('from_value', 'to_value', 'change_unit') }}
            else {{ year_on_year_na_reason('from_value', 'to_value', 'change_unit') }}
        end as na_reason

    from paired_values

),

final as (

    select
        indicator_no::integer as indicator_no,
        from_year::integer as from_year,
        to_year::integer as to_year,
        change::float8 as change,
        change_unit,
        is_annualised,
        case
            when change_rule = 'none' then 'none'
            else {{ change_colour('change', 'change_unit', 'desired_direction') }}
        end as colour,
        na_reason,
        from_value::float8 as from_value,
        to_value::float8 as to_value,
        desired_direction,
        {{ change_threshold('change_unit') }}::float8 as threshold

    from computed

)

select * from final
