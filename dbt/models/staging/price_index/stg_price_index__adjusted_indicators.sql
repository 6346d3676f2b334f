with

source as (

    select * from {{ ref('price_adjusted_indicators') }}

),

renamed as (

    select
        indicator_no::integer as indicator_no,
        price_unit,
        note

    from source

)

select * from renamed
