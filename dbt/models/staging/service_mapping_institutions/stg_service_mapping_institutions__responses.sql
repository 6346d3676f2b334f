with

source as (

    select * from {{ source('raw', 'service_mapping_institutions') }}

),

renamed as (

    select
        load_id,
        delivery_year,
        source_row,
        respondent_id,
        variable,
        code,
        value,
        value_label,
        file_name,
        file_sha256,
        loaded_at,
        file_comment

    from source

)

select * from renamed
