{#-
    The deflator per year, with the factor that restates an amount of that year in the kroner of the
    price base year (the newest year with a price growth): value_in_base_year = value * to_base_factor.
    A later delivery moves the base: next year's marts restate everything in next year's kroner.
-#}

with

chained as (

    select * from {{ ref('int_price_index__chained') }}

),

newest_chained_year as (

    select max(year) as year
    from chained
    where price_index is not null

),

base as (

    select
        chained.year as price_base_year,
        chained.price_index as base_index

    from chained
    inner join newest_chained_year
        on chained.year = newest_chained_year.year

),

final as (

    select
        chained.year::integer as year,
        chained.price_growth::float8 as price_growth,
        chained.price_index::float8 as price_index,
        chained.index_base_year::integer as index_base_year,
        base.price_base_year::integer as price_base_year,
        (base.base_index / nullif(chained.price_index, 0))::float8 as to_base_factor,
        chained.delivery_year::integer as delivery_year,
        chained.file_name::varchar as file_name,
        chained.file_sha256::varchar as file_sha256,
        chained.loaded_at at time zone 'UTC' as loaded_at,  -- stored as UTC wall time; served as timestamptz
        chained.source_reference::varchar as source_reference,
        chained.note::varchar as note,
        chained.file_comment::varchar as file_comment

    from chained
    cross join base

)

select * from final
