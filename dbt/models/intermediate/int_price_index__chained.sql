{#-
    The deflator as one chained series. Per year the newest vintage of the price growth wins (latest
    delivery year, then latest load). The growth rates are chained into an index, 100 in the first year
    of the newest unbroken run of years; a year missing in between breaks the chain, and years before
    the break get no index (their kroner cannot be restated).
-#}

with

delivered as (

    select * from {{ ref('stg_price_index__price_growth') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by year
            order by delivery_year desc, loaded_at desc
        ) as vintage_rank

    from delivered

),

current_vintage as (

    select * from ranked
    where vintage_rank = 1

),

with_gaps as (

    select
        *,
        coalesce(year - lag(year) over (order by year) > 1, false) as follows_gap

    from current_vintage

),

segmented as (

    select
        *,
        sum(case when follows_gap then 1 else 0 end) over (
            order by year rows between unbounded preceding and current row
        ) as run_no

    from with_gaps

),

latest_run as (

    select max(run_no) as run_no from segmented

),

newest_run as (

    select segmented.*
    from segmented
    inner join latest_run
        on segmented.run_no = latest_run.run_no

),

chained as (

    select
        *,
        min(year) over () as index_base_year,
        100.0 * exp(
            sum(ln(1 + price_growth / 100.0))
                over (order by year rows between unbounded preceding and current row)
            - first_value(ln(1 + price_growth / 100.0)) over (order by year)
        ) as price_index

    from newest_run

),

final as (

    select
        segmented.year::integer as year,
        segmented.price_growth::float8 as price_growth,
        chained.price_index::float8 as price_index,
        chained.index_base_year::integer as index_base_year,
        segmented.delivery_year::integer as delivery_year,
        segmented.load_id,
        segmented.file_name,
        segmented.file_sha256,
        segmented.loaded_at,
        segmented.source_reference,
        segmented.note,
        segmented.file_comment

    from segmented
    left join chained
        on segmented.year = chained.year

)

select * from final
