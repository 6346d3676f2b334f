{#-
    Indicator values with the NOK indicators (seed price_adjusted_indicators) restated in constant
    prices: the kroner of the price base year (dim_price_index). Nominal values stay in
    fct_indicator_values. Other indicators carry their value unchanged, so this mart is the value the
    changes are computed from: a real change for NOK amounts, as the printed report computes it.
-#}

with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

adjusted as (

    select * from {{ ref('stg_price_index__adjusted_indicators') }}

),

prices as (

    select * from {{ ref('dim_price_index') }}

),

price_base as (

    select max(price_base_year) as price_base_year from prices

),

final as (

    select
        indicator_values.indicator_no::integer as indicator_no,
        indicator_values.year::integer as year,
        indicator_values.value::float8 as value_nominal,
        (adjusted.indicator_no is not null) as is_price_adjusted,
        case when adjusted.indicator_no is not null then price_base.price_base_year end::integer
            as price_base_year,
        (case
            when adjusted.indicator_no is null then indicator_values.value
            else indicator_values.value * prices.to_base_factor
        end)::float8 as value,
        prices.to_base_factor::float8 as to_base_factor,
        indicator_values.value_origin::varchar as value_origin

    from indicator_values
    cross join price_base
    left join adjusted
        on indicator_values.indicator_no = adjusted.indicator_no
    left join prices
        on indicator_values.year = prices.year

)

select * from final
