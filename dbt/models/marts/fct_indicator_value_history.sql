with

vintaged as (

    select * from {{ ref('int_indicator_values__vintaged') }}

),

history as (

    select
        indicator_no,
        year,
        delivery_year,
        value,
        vintage_rank::integer as vintage_rank,
        vintage_rank = 1 as is_current_vintage,
        previous_vintage_value is not null
        and previous_vintage_value != value as differs_from_previous_vintage,
        previous_vintage_value,
        previous_vintage_delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at at time zone 'UTC' as loaded_at,
        source_reference,
        note

    from vintaged

)

select * from history
