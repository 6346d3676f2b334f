{#-
    Every answer of the current load of every survey wave, with its codebook entry: the item (version,
    scale, index, reverse coding) and the response option (label, score, whether it counts in the
    percent base, «ikke aktuelt»/«har ikke»). A wave delivered again (a corrected file) replaces the
    earlier load. Scores of reverse-coded items are mirrored on the scale's scored range so that a high
    score is always the favourable answer; the score as coded is kept beside it. Person-level: never served.
    A table incremental by wave (macros/incremental_years.sql): read by every survey model, and
    rebuilt only for a wave whose load changed.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='wave',
    pre_hook="{{ delete_vanished_years([
        'user_satisfaction',
        'municipal_sample_survey',
        'service_mapping_consultations',
        'service_mapping_gp',
        'service_mapping_institutions',
    ], 'wave') }}",
) }}

{%- set survey_sources = [
    ('user_satisfaction', 'stg_user_satisfaction__responses'),
    ('municipal_sample_survey', 'stg_municipal_sample_survey__responses'),
    ('service_mapping_consultations', 'stg_service_mapping_consultations__responses'),
    ('service_mapping_gp', 'stg_service_mapping_gp__responses'),
    ('service_mapping_institutions', 'stg_service_mapping_institutions__responses'),
] -%}
{%- set years = years_to_build(survey_sources | map('first') | list, 'wave') -%}

with

delivered as (

    {% for instrument, model in survey_sources %}
        select
            '{{ instrument }}' as instrument,
            delivery_year as wave,
            load_id,
            loaded_at,
            respondent_id,
            variable,
            code,
            value
        from {{ ref(model) }}
        where {{ in_years('delivery_year', years) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

current_rows as (

    select * from (
        select
            *,
            max(loaded_at) over (partition by instrument, wave) as current_loaded_at
        from delivered
    ) as ranked
    where loaded_at = current_loaded_at

),

items as (

    select * from {{ ref('stg_reference__survey_items') }}

),

options as (

    select * from {{ ref('stg_reference__survey_response_options') }}

),

scale_ranges as (

    select
        scale_code,
        min(score) as min_score,
        max(score) as max_score

    from options
    group by scale_code

),

joined as (

    select
        delivered.instrument,
        delivered.wave,
        delivered.load_id,
        delivered.respondent_id,
        items.item_code,
        items.item_version,
        items.variable_role,
        items.background_key,
        items.scale_code,
        items.item_group,
        items.item_text,
        items.index_code,
        items.is_reverse_coded,
        delivered.code,
        delivered.value,
        options.label,
        options.score as score_as_coded,
        case
            when items.is_reverse_coded
                then scale_ranges.min_score + scale_ranges.max_score - options.score
            else options.score
        end as score,
        delivered.code is null and delivered.value is null as is_missing,
        coalesce(options.is_not_applicable, false) as is_not_applicable,
        coalesce(options.is_valid_for_percent, false) as is_valid_for_percent,
        coalesce(options.is_top2, false) as is_top2

    from current_rows as delivered
    inner join items
        on
            delivered.instrument = items.instrument
            and delivered.wave = items.wave
            and delivered.variable = items.item_code
    left join options
        on
            items.scale_code = options.scale_code
            and delivered.code = options.code
    left join scale_ranges
        on items.scale_code = scale_ranges.scale_code

),

load_keys as (

    {{ year_load_keys(survey_sources | map('first') | list) }}

),

final as (

    select
        joined.*,
        load_keys.load_key

    from joined
    inner join load_keys on joined.wave = load_keys.year

)

select * from final
