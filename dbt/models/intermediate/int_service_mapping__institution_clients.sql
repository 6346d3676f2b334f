{#-
    One row per institution client form of the 2003 mapping (current load), with the report's derived
    classifications (chapter 6): age at the census (2003 - birth year), «stort» per substance, the
    longest duration, and tung rusmiddelmisbruker by the institution definition (§6.2.4): stort on
    >= 1 substance AND > 5 years, OR heroin/opiate use (no health criterion, unlike the municipal
    definition). Waiting time in weeks, banded as Tabell 6-5 (< 1, 1-4, 5-13, over 13 weeks).
    Form-level; quasi-identifiers (institution, birth year) stay here and are never served.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where instrument = 'service_mapping_institutions'

),

forms as (

    select
        wave,
        respondent_id as form_id,
        max(case when item_code = 'institusjon' then value end) as institution_id,
        max(case when item_code = 'institusjonstype' then code end) as institution_type_code,
        max(case when item_code = 'institusjonstype' then label end) as institution_type,
        max(case when item_code = 'kjonn' then label end) as gender,
        max(case when item_code = 'fodselsar' then value end) as birth_year,
        max(case when item_code = 'bolig' then code end) as housing_code,
        max(case when item_code = 'alkohol' then code end) as severity_alcohol,
        max(case when item_code = 'medikamenter' then code end) as severity_pharmaceuticals,
        max(case when item_code = 'narkotika' then code end) as severity_drugs,
        max(case when item_code = 'alkohol_ar' then value end) as years_alcohol,
        max(case when item_code = 'medikamenter_ar' then value end) as years_pharmaceuticals,
        max(case when item_code = 'narkotika_ar' then value end) as years_drugs,
        max(case when item_code = 'heroin' then code end) as heroin_opiates,
        max(case when item_code = 'somatisk' then code end) as somatic_problem,
        max(case when item_code = 'psykisk' then code end) as psychiatric_problem,
        max(case when item_code = 'venteuker' then value end) as waiting_weeks,
        max(case when item_code = 'samarbeid_sosialtjeneste' then code end) as collaborates_social_service,
        max(case when item_code = 'koordinator' then code end) as has_coordinator,
        max(case when item_code = 'ansvarsgruppe' then code end) as has_responsibility_group,
        max(case when item_code = 'individuell_plan' then code end) as has_individual_plan,
        max(case when item_code = 'arsak_1' then code end) as reason_wants_no_more_help,
        max(case when item_code = 'arsak_2' then code end) as reason_lacks_competence,
        max(case when item_code = 'arsak_3' then code end) as reason_lacks_capacity,
        max(case when item_code = 'arsak_4' then code end) as reason_poor_collaboration

    from responses
    group by wave, respondent_id

),

derived as (

    select
        forms.*,
        (forms.wave - forms.birth_year)::integer as age,
        coalesce(
            forms.severity_alcohol = 4 or forms.severity_pharmaceuticals = 4 or forms.severity_drugs = 4,
            false
        ) as has_severe_use,
        greatest(forms.years_alcohol, forms.years_pharmaceuticals, forms.years_drugs) as years_of_misuse,
        coalesce(forms.housing_code = 5, false) as has_no_own_home,
        case
            when forms.waiting_weeks < 1 then 'mindre enn en uke'
            when forms.waiting_weeks <= 4 then '1-4 uker'
            when forms.waiting_weeks <= 13 then '5-13 uker'
            when forms.waiting_weeks > 13 then 'over 13 uker'
        end as waiting_band,
        coalesce(forms.reason_wants_no_more_help, 0) + coalesce(forms.reason_lacks_competence, 0)
        + coalesce(forms.reason_lacks_capacity, 0) + coalesce(forms.reason_poor_collaboration, 0)
            as reasons_ticked

    from forms

),

final as (

    select
        derived.*,
        (derived.has_severe_use and coalesce(derived.years_of_misuse > 5, false))
        or coalesce(derived.heroin_opiates = 1, false) as is_heavy_institution_definition

    from derived

)

select * from final
