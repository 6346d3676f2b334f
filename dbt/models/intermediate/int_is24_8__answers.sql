{#-
    Current-vintage IS-24/8 answers with their question version and status. «vet ikke» (code 9
    on yes/no and 5-point items) is an answer and stays distinct from unanswered; a question not
    asked in the year (no version covers it) is not_asked.
    Per engine (dbt_project.yml): a view on DuckDB (read for the years its incremental consumers build), on
    PostgreSQL a table incremental by delivery year (macros/incremental_years.sql).
-#}

{{ config(
    incremental_strategy='delete+insert',
    unique_key='year',
    pre_hook="{{ delete_vanished_years(['is24_8']) }}",
) }}

{%- set years = years_to_build(['is24_8']) -%}

with

answers as (

    select * from {{ ref('stg_is24_8__answers') }}
    where is_current_load and {{ in_years('delivery_year', years) }}

),

load_keys as (

    {{ year_load_keys(['is24_8']) }}

),

versions as (

    select * from {{ ref('stg_reference__is24_8_question_versions') }}

),

final as (

    select
        answers.delivery_year as year,
        answers.unit_code,
        answers.question_code,
        versions.question_version,
        versions.answer_type,
        answers.answer_value,
        case
            when versions.question_version is null then 'not_asked'
            when answers.answer_value is null then 'unanswered'
            when versions.answer_type in ('yes_no', 'scale5') and answers.answer_value = 9 then 'dont_know'
            else 'answered'
        end as answer_status,
        answers.load_id,
        answers.file_name,
        answers.source_row,
        load_keys.load_key

    from answers
    inner join load_keys on answers.delivery_year = load_keys.year
    left join versions
        on
            answers.question_code = versions.question_code
            and answers.delivery_year >= versions.first_year
            and answers.delivery_year <= coalesce(versions.last_year, 9999)

)

select * from final
