{#-
    The 28 IS-24/8 indicators nationally: shares in percent of the responding units that answered
    the question (the denominator varies by question), FTEs and NOK thousands as national sums.
-#}

with

contributions as (

    select * from {{ ref('int_is24_8__unit_indicators') }}

),

aggregated as (

    select
        indicator_no::integer as indicator_no,
        year::integer as year,
        (case
            when {{ any_value_of('measure') }} = 'share'
                then
                    100.0 * count(*) filter (where is_positive)
                    / nullif(count(*) filter (where in_denominator), 0)
            when {{ any_value_of('measure') }} = 'sum_thousands' then sum(amount) / 1000.0
            else sum(amount)
        end)::float8 as value,
        count(*) filter (where in_denominator)::integer as n_units,
        'is24_8'::varchar as computed_from

    from contributions
    group by indicator_no, year

)

select * from aggregated
where value is not null
