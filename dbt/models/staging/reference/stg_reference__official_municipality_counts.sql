with

seed as (

    select * from {{ ref('official_municipality_counts') }}

),

typed as (

    select
        year,
        official_count

    from seed

)

select * from typed
