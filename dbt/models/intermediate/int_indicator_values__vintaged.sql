{#-
    Every delivered value ranked by vintage: the latest delivery year wins, and within one delivery
    year the latest load (a corrected file) wins. The previous vintage's value is kept beside it so
    that revisions can be flagged.
-#}

with

delivered as (

    select * from {{ ref('stg_national_figures__values') }}

),

ranked as (

    select
        indicator_no,
        year,
        value,
        delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at,
        source_reference,
        note,
        row_number() over (
            partition by indicator_no, year
            order by delivery_year desc, loaded_at desc
        ) as vintage_rank

    from delivered

),

with_previous as (

    select
        *,
        lead(value) over (
            partition by indicator_no, year order by vintage_rank
        ) as previous_vintage_value,
        lead(delivery_year) over (
            partition by indicator_no, year order by vintage_rank
        ) as previous_vintage_delivery_year

    from ranked

)

select * from with_previous
