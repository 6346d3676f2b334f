{#- The 11 BrukerPlan indicators nationally: percent of registered recipients with the item registered. -#}

with

contributions as (

    select * from {{ ref('int_brukerplan__person_indicators') }}

),

aggregated as (

    select
        indicator_no::integer as indicator_no,
        year::integer as year,
        (
            100.0 * count(*) filter (where is_positive)
            / nullif(count(*) filter (where in_denominator), 0)
        )::float8 as value,
        count(*) filter (where in_denominator)::integer as n_units,
        'brukerplan'::varchar as computed_from

    from contributions
    group by indicator_no, year

)

select * from aggregated
where value is not null
