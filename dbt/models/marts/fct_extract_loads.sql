{#- The loaded extract files, as served: built in int_extract_loads, which the dimensions also read. -#}

with

loads as (

    select * from {{ ref('int_extract_loads') }}

),

final as (

    select
        source,
        delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at at time zone 'UTC' as loaded_at,  -- stored as UTC wall time; served as timestamptz
        file_comment,
        row_count::integer as row_count,
        is_current

    from loads

)

select * from final
