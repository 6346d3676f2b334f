with

source as (

    select * from {{ source('raw', 'national_figures') }}

),

renamed as (

    select
        load_id,
        delivery_year,
        source_row,
        indicator_no,
        year,
        value,
        unit,
        source_reference,
        note,
        file_name,
        file_sha256,
        loaded_at,
        file_comment

    from source

)

select * from renamed
