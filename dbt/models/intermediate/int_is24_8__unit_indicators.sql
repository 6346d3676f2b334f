{#-
    Each responding unit's contribution to each IS-24/8 indicator: whether it counts in the
    denominator (it answered the question, «vet ikke» included; for sums: it gave an amount), whether
    it counts as positive, and the amount. Only the question version named in the definition counts,
    so an indicator has no value in a year asked with another version (ind. 32 before 2018).
-#}

with

answers as (

    select * from {{ ref('int_is24_8__answers') }}

),

definitions as (

    select * from {{ ref('stg_reference__is24_8_indicator_definitions') }}

),

final as (

    select
        definitions.indicator_no,
        answers.year,
        answers.unit_code,
        definitions.measure,
        answers.answer_status,
        case
            when definitions.measure = 'share' then answers.answer_status in ('answered', 'dont_know')
            else answers.answer_status = 'answered'
        end as in_denominator,
        definitions.measure = 'share'
        and answers.answer_status = 'answered'
        and array_position(definitions.positive_codes, answers.answer_value::integer::varchar) is not null
            as is_positive,
        case when definitions.measure != 'share' then answers.answer_value end as amount,
        answers.file_name

    from answers
    inner join definitions
        on
            answers.question_code = definitions.question_code
            and answers.question_version = definitions.question_version

)

select * from final
