with

delivered as (

    select * from {{ ref('stg_national_figures__values') }}

),

loads as (

    select
        'national_figures' as source,
        delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at,
        any_value(file_comment) as file_comment,
        count(*) as row_count

    from delivered
    group by delivery_year, load_id, file_name, file_sha256, loaded_at

),

flagged as (

    select
        *,
        row_number() over (
            partition by source, delivery_year order by loaded_at desc
        ) = 1 as is_current

    from loads

)

select * from flagged
