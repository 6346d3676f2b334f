with

source as (

    select * from {{ source('raw', 'population') }}

),

renamed as (

    select
        load_id,
        delivery_year,
        source_row,
        municipality_code,
        year,
        population,
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        loaded_at = max(loaded_at) over (partition by delivery_year) as is_current_load

    from source

)

select * from renamed
