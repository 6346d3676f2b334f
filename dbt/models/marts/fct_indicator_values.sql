{#- The current value per indicator and year: the latest vintage, flagged when it revised an earlier one. -#}

with

vintaged as (

    select * from {{ ref('int_indicator_values__vintaged') }}

),

current_vintage as (

    select * from vintaged
    where vintage_rank = 1

),

latest_differing_earlier_vintage as (

    select
        older.indicator_no,
        older.year,
        arg_min(older.value, older.vintage_rank) as previous_value,
        arg_min(older.delivery_year, older.vintage_rank) as previous_delivery_year

    from vintaged as older
    inner join current_vintage
        on
            older.indicator_no = current_vintage.indicator_no
            and older.year = current_vintage.year
    where older.vintage_rank > 1 and older.value != current_vintage.value
    group by older.indicator_no, older.year

),

final as (

    select
        current_vintage.indicator_no::integer as indicator_no,
        current_vintage.year::integer as year,
        current_vintage.value::double as value,
        'published' as value_origin,
        latest_differing_earlier_vintage.previous_value is not null as is_revised,
        latest_differing_earlier_vintage.previous_value::double as previous_value,
        latest_differing_earlier_vintage.previous_delivery_year::integer as previous_delivery_year,
        current_vintage.delivery_year::integer as delivery_year,
        current_vintage.file_name as source_file,
        current_vintage.file_sha256,
        current_vintage.loaded_at,
        current_vintage.source_reference

    from current_vintage
    left join latest_differing_earlier_vintage
        on
            current_vintage.indicator_no = latest_differing_earlier_vintage.indicator_no
            and current_vintage.year = latest_differing_earlier_vintage.year

)

select * from final
