{#-
    The survey-based indicators of the indicator set, computed from the microdata: per indicator the
    item and measure in survey_indicator_items (all top-2 shares of valid answers, as the 2017 report's
    chapter 5 and the indicator tables use them), for every wave loaded. Feeds fct_indicator_values,
    which then reports value_origin 'computed' and keeps the published figure for reconciliation.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where variable_role = 'item'

),

indicator_items as (

    select * from {{ ref('stg_reference__survey_indicator_items') }}

),

per_item as (

    select
        instrument,
        wave,
        item_code,
        count(*) filter (where is_valid_for_percent) as n_valid,
        count(*) filter (where is_valid_for_percent and is_top2) as n_top2

    from responses
    group by instrument, wave, item_code

),

final as (

    select
        indicator_items.indicator_no::integer as indicator_no,
        per_item.wave::integer as year,
        (100.0 * per_item.n_top2 / per_item.n_valid)::float8 as value,
        per_item.n_valid::integer as n_units,
        (
            per_item.instrument || ' ' || per_item.wave || ': ' || per_item.item_code
            || ' top-2 share, ' || per_item.n_top2 || ' of ' || per_item.n_valid || ' valid answers'
        ) as computed_from

    from indicator_items
    inner join per_item
        on
            indicator_items.instrument = per_item.instrument
            and indicator_items.item_code = per_item.item_code
    where
        indicator_items.measure = 'top2_share'
        and per_item.n_valid > 0

)

select * from final
