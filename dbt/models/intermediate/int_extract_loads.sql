{#-
    One row per loaded extract file, from every source: the load register (raw.extract_loads, written
    in the same transaction as the load's rows), with the current load of each source and delivery
    year flagged. Read from the register, not by grouping the delivered rows: every model that needs
    the loads (the newest delivery year, the incremental models' year keys) stays a few rows' work.
-#}

with

loads as (

    select * from {{ ref('stg_warehouse__extract_loads') }}

),

final as (

    select
        source,
        delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        row_count,
        is_current

    from loads

)

select * from final
