{#-
    One row per loaded extract file, from every source. Each source's staging model carries the load
    columns (load_id, delivery_year, file_name, file_sha256, loaded_at, file_comment); add a new
    source's staging model to the list below.
-#}

{%- set sources_and_models = [
    ('national_figures', 'stg_national_figures__values'),
    ('user_satisfaction', 'stg_user_satisfaction__responses'),
    ('municipal_sample_survey', 'stg_municipal_sample_survey__responses'),
    ('service_mapping_consultations', 'stg_service_mapping_consultations__responses'),
    ('service_mapping_gp', 'stg_service_mapping_gp__responses'),
    ('service_mapping_institutions', 'stg_service_mapping_institutions__responses'),
    ('population', 'stg_population__municipalities'),
    ('is24_8', 'stg_is24_8__units'),
    ('brukerplan', 'stg_brukerplan__registrations'),
    ('price_index', 'stg_price_index__price_growth'),
] -%}

with

delivered_rows as (

    {% for source_name, model in sources_and_models %}
        select
            '{{ source_name }}' as source,
            delivery_year,
            load_id,
            file_name,
            file_sha256,
            loaded_at,
            file_comment
        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

loads as (

    select
        source,
        delivery_year,
        load_id,
        file_name,
        file_sha256,
        loaded_at,
        {{ any_value_of('file_comment') }} as file_comment,
        count(*) as row_count

    from delivered_rows
    group by source, delivery_year, load_id, file_name, file_sha256, loaded_at

),

flagged as (

    select
        *,
        row_number() over (
            partition by source, delivery_year order by loaded_at desc
        ) = 1 as is_current

    from loads

)

select * from flagged
