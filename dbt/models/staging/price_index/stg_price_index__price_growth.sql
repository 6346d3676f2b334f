{#-
    Delivered price growth (deflator), one row per delivered row of every load (all vintages kept).
    The price_index source is optional: before its first delivery there is no raw table, and the
    model is empty (NOK indicators then have no constant-price value and their changes are N/A).
-#}

{%- set raw_table = source('raw', 'price_index') -%}
{%- set delivered = relation_if_exists(raw_table) %}

with

source as (

    {% if delivered is not none %}
        select * from {{ raw_table }}
    {% else %}
        select
            null::varchar as load_id,
            null::integer as delivery_year,
            null::integer as source_row,
            null::integer as year,
            null::float8 as price_growth,
            null::varchar as source_reference,
            null::varchar as note,
            null::varchar as file_name,
            null::varchar as file_sha256,
            null::timestamp as loaded_at,
            null::varchar as file_comment
        where false
    {% endif %}

),

renamed as (

    select
        load_id,
        delivery_year,
        source_row,
        year,
        price_growth::float8 as price_growth,
        source_reference,
        note,
        file_name,
        file_sha256,
        loaded_at,
        file_comment

    from source

)

select * from renamed
