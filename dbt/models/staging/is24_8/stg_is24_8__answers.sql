{#-
    IS-24/8 answers in long form: one row per responding unit, question and load, unanswered kept
    (answer_value null). The question columns are the contract's (dagster_project/core/ingest/is24_8.py).
-#}

{%- set questions = [
    'arsverk_totalt',
    'kr_brukermedvirkning',
    'opptrapping_kompetanse',
    'arsverk_brukererfaring_voksne',
    'arsverk_brukererfaring_barn',
    'brukererfaringer_innhentet',
    'recoveryorientert',
    'sikrer_brukermedvirkning',
    'parorende_voksne',
    'parorende_barn',
    'system_identifisering',
    'oppsokende_ungdom',
    'tilbud_voksne_milde',
    'tilbud_barn_milde',
    'oyeblikkelig_hjelp',
    'oppsokende_team',
    'tilbud_voksne_kortvarige',
    'tilbud_barn_kortvarige',
    'tilbud_voksne_langvarige',
    'tilbud_barn_langvarige',
    'samarbeid_hf_voksne',
    'samarbeid_hf_unge',
    'koordinerte_tjenester',
    'samarbeid_nav',
    'ips_se',
    'oppfolging_bolig',
    'boligsituasjon_bedret',
    'opptrapping_boliger',
] -%}

with

source as (

    select * from {{ source('raw', 'is24_8') }}

),

typed as (

    select
        load_id,
        delivery_year,
        source_row,
        unit_code,
        year,
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        {%- for question in questions %}
            {{ question }}::float8 as {{ question }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from source

),

answers as (

    select
        typed.*,
        unpivoted.question_code,
        unpivoted.answer_value

    from typed
    {{ unpivot_lateral('typed', questions, 'question_code', 'answer_value') }}

),

final as (

    select
        load_id,
        delivery_year,
        source_row,
        unit_code,
        year,
        question_code,
        answer_value,
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        loaded_at = max(loaded_at) over (partition by delivery_year) as is_current_load

    from answers

)

select * from final
