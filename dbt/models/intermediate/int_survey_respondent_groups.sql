{#-
    Respondent x reporting group: every respondent is in the total and, where the wave has the
    background variable, in one gender, one size class and one age group. The marts aggregate over this.
-#}

with

respondents as (

    select * from {{ ref('int_survey_respondents') }}

),

groups as (

    select
        instrument,
        wave,
        respondent_id,
        'total' as group_type,
        'Alle' as group_value,
        0 as group_order
    from respondents

    union all

    select
        instrument,
        wave,
        respondent_id,
        'gender' as group_type,
        gender as group_value,
        case gender when 'Mann' then 1 else 2 end as group_order
    from respondents
    where gender is not null

    union all

    select
        instrument,
        wave,
        respondent_id,
        'size_class' as group_type,
        size_class as group_value,
        size_class_code as group_order
    from respondents
    where size_class is not null

    union all

    select
        instrument,
        wave,
        respondent_id,
        'age_group' as group_type,
        age_group as group_value,
        age_min as group_order
    from respondents
    where age_group is not null

)

select * from groups
