{#-
    The load register: one row per loaded extract file, with the current (newest) load of each
    source and delivery year flagged. Read instead of the delivered rows wherever only the loads
    matter (the incremental models' year keys, fct_extract_loads): it is a few rows, not the raw tables.
-#}

with

source as (

    select * from {{ source('raw', 'extract_loads') }}

),

flagged as (

    select
        source,
        delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        row_count,
        row_number() over (
            partition by source, delivery_year order by loaded_at desc
        ) = 1 as is_current

    from source

)

select * from flagged
