{#-
    One row per municipality valid on 1 January of each year 2016-2024 (part of the external
    contract), and of each later year extracts were delivered for (next year at the latest), on the newest list (codes change
    rarely; a changed code is rejected at ingest until the list is updated). Size class from the
    population extract of the same year; null when no population extract was delivered for that year.
-#}

with

listed as (

    select * from {{ ref('stg_reference__municipality_years') }}

),

newest_list as (

    select max(year) as year from listed

),

newest_delivery as (

    select max(delivery_year) as delivery_year from {{ ref('int_extract_loads') }}
    -- the ingest refuses a later delivery year; this keeps the dimension bounded all the same
    where delivery_year <= extract(year from current_date) + 1

),

later_years as (

    select series.year::integer as year
    from newest_list
    cross join newest_delivery
    cross join lateral generate_series(newest_list.year + 1, newest_delivery.delivery_year) as series (year)

),

municipalities as (

    select * from listed

    union all

    select
        later_years.year,
        listed.municipality_code,
        listed.municipality_name,
        listed.county_code,
        listed.merged_into_code

    from listed
    inner join newest_list on listed.year = newest_list.year
    cross join later_years

),

population as (

    select
        municipality_code,
        year,
        population

    from {{ ref('stg_population__municipalities') }}
    where is_current_load

),

final as (

    select
        municipalities.year::integer as year,
        municipalities.municipality_code::varchar as municipality_code,
        municipalities.municipality_name::varchar as municipality_name,
        municipalities.county_code::varchar as county_code,
        (case
            when population.population is null then null
            when population.population < {{ var('size_class_small_below') }} then 'under_5000'
            when population.population < {{ var('size_class_large_from') }} then '5000_19999'
            else '20000_and_over'
        end)::varchar as size_class,
        municipalities.merged_into_code::varchar as merged_into_code,
        population.population::integer as population

    from municipalities
    left join population
        on
            municipalities.municipality_code = population.municipality_code
            and municipalities.year = population.year

)

select * from final
