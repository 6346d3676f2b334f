{#-
    Data-quality warning (not blocking): the municipality list derived from the reference files
    must give the official number of municipalities each year. A row = a year that does not, with
    both numbers.
-#}

{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'dim_municipality_year'}}}) }}

with

derived as (

    select
        year,
        count(*) as derived_count

    from {{ ref('dim_municipality_year') }}
    -- years after the newest official count are carried forward: nothing to compare them with
    where
        year <= (
            select max(counts.year)
            from {{ ref('stg_reference__official_municipality_counts') }} as counts
        )
    group by year

),

official as (

    select * from {{ ref('stg_reference__official_municipality_counts') }}

),

compared as (

    select
        coalesce(official.year, derived.year) as year,
        derived.derived_count,
        official.official_count

    from official
    full outer join derived on official.year = derived.year

)

select * from compared
where derived_count is distinct from official_count
