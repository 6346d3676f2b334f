{#-
    The value per indicator and year that the status tables use. Published values come from the latest
    vintage of the national_figures deliveries (flagged when they revised an earlier one). Indicators the
    warehouse computes itself from microdata take the computed value instead (value_origin 'computed');
    the published figure stays beside it for reconciliation. Each computing source contributes an
    intermediate model with columns indicator_no, year, value, n_units, computed_from: list them below.
-#}

{%- set computed_models = [
    'int_indicator_values__user_satisfaction',
    'int_indicator_values__is24_8',
    'int_indicator_values__brukerplan',
] -%}

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
        {{ value_at_min('older.value', 'older.vintage_rank') }} as previous_value,
        {{ value_at_min('older.delivery_year', 'older.vintage_rank') }} as previous_delivery_year

    from vintaged as older
    inner join current_vintage
        on
            older.indicator_no = current_vintage.indicator_no
            and older.year = current_vintage.year
    where
        older.vintage_rank > 1
        and older.value != current_vintage.value
    group by older.indicator_no, older.year

),

published as (

    select
        current_vintage.indicator_no,
        current_vintage.year,
        current_vintage.value,
        latest_differing_earlier_vintage.previous_value,
        latest_differing_earlier_vintage.previous_delivery_year,
        current_vintage.delivery_year,
        current_vintage.file_name,
        current_vintage.file_sha256,
        current_vintage.loaded_at,
        current_vintage.source_reference

    from current_vintage
    left join latest_differing_earlier_vintage
        on
            current_vintage.indicator_no = latest_differing_earlier_vintage.indicator_no
            and current_vintage.year = latest_differing_earlier_vintage.year

),

computed as (

    {%- if computed_models %}
        {%- for model in computed_models %}
            select
                indicator_no,
                year,
                value,
                n_units,
                computed_from
            from {{ ref(model) }}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    {%- else %}
        select
            null::integer as indicator_no,
            null::integer as year,
            null::float8 as value,
            null::integer as n_units,
            null::varchar as computed_from
        where false
    {%- endif %}

),

final as (

    select
        coalesce(computed.indicator_no, published.indicator_no)::integer as indicator_no,
        coalesce(computed.year, published.year)::integer as year,
        coalesce(computed.value, published.value)::float8 as value,
        case when computed.value is not null then 'computed' else 'published' end as value_origin,
        coalesce(published.previous_value is not null, false) as is_revised,
        published.previous_value::float8 as previous_value,
        published.previous_delivery_year::integer as previous_delivery_year,
        published.delivery_year::integer as delivery_year,
        published.file_name as source_file,
        published.file_sha256,
        published.loaded_at at time zone 'UTC' as loaded_at,
        published.source_reference,
        published.value::float8 as published_value,
        computed.n_units::integer as n_units,
        computed.computed_from

    from published
    full outer join computed
        on
            published.indicator_no = computed.indicator_no
            and published.year = computed.year

)

select * from final
