{#-
    One row per Skjema 3 consultation form of the 2003 mapping (current load), with the report's
    derived classifications (version 1, as in the report's chapter 4):
    - substance type: which of alcohol / drugs / pharmaceuticals has a severity ticked, «vet ikke»
      included (7 types; none ticked = «ubesvart»);
    - stort misbruk: severity «stort» on at least one substance;
    - duration: the longest duration over the substances (years, rounded up on the form);
    - health-problem type from Q9 (somatic) and Q11 (psychiatric), «Ja» only;
    - tung rusmiddelmisbruker, municipal definition (§4.4.6): stort on >= 1 substance AND > 5 years
      AND a serious somatic or psychiatric problem;
    - gap reason (Q21): one reason ticked, or «kombinasjon» when more than one.
    Form-level (no person identifier exists); never served.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where instrument = 'service_mapping_consultations'

),

groups as (

    select * from {{ ref('stg_reference__service_mapping_municipality_groups') }}

),

types as (

    select * from {{ ref('stg_reference__service_mapping_substance_types') }}

),

forms as (

    select
        wave,
        respondent_id as form_id,
        max(case when item_code = 'kommuneklasse' then code end) as ssb_class,
        max(case when item_code = 'q5_alkohol' then code end) as severity_alcohol,
        max(case when item_code = 'q5_medikamenter' then code end) as severity_pharmaceuticals,
        max(case when item_code = 'q5_narkotika' then code end) as severity_drugs,
        max(case when item_code = 'q5_alkohol_ar' then value end) as years_alcohol,
        max(case when item_code = 'q5_medikamenter_ar' then value end) as years_pharmaceuticals,
        max(case when item_code = 'q5_narkotika_ar' then value end) as years_drugs,
        max(case when item_code = 'q7' then code end) as collaborates_with_gp,
        max(case when item_code = 'q8' then code end) as contact_with_family,
        max(case when item_code = 'q9' then code end) as somatic_problem,
        max(case when item_code = 'q11' then code end) as psychiatric_problem,
        max(case when item_code = 'q13_1' then code end) as applied_outpatient,
        max(case when item_code = 'q13_2' then code end) as applied_institution,
        max(case when item_code = 'q13_3' then code end) as applied_lar,
        max(case when item_code = 'q14' then value end) as waiting_days,
        max(case when item_code = 'q21_1' then code end) as gap_municipality,
        max(case when item_code = 'q21_2' then code end) as gap_client,
        max(case when item_code = 'q21_3' then code end) as gap_other

    from responses
    group by wave, respondent_id

),

derived as (

    select
        forms.*,
        coalesce(groups.report_group, 'ukjent') as report_group,
        coalesce(groups.report_group_order, 4) as report_group_order,
        types.substance_type,
        types.substance_type_order,
        coalesce(types.has_drug_use, false) as has_drug_use,
        coalesce(
            forms.severity_alcohol = 4 or forms.severity_pharmaceuticals = 4 or forms.severity_drugs = 4,
            false
        ) as has_severe_use,
        greatest(forms.years_alcohol, forms.years_pharmaceuticals, forms.years_drugs) as years_of_misuse,
        case
            when forms.somatic_problem = 1 and forms.psychiatric_problem = 1 then 'psykisk + somatisk'
            when forms.psychiatric_problem = 1 then 'psykisk'
            when forms.somatic_problem = 1 then 'somatisk'
            else 'ingen/ukjent'
        end as health_problem_type,
        coalesce(forms.psychiatric_problem = 1, false) as has_psychiatric_problem,
        coalesce(forms.somatic_problem = 1 or forms.psychiatric_problem = 1, false) as has_health_problem,
        (case when forms.applied_outpatient = 1 then 1 else 0 end)
        + (case when forms.applied_institution = 1 then 1 else 0 end)
        + (case when forms.applied_lar = 1 then 1 else 0 end) as applications,
        (coalesce(forms.gap_municipality, 0) + coalesce(forms.gap_client, 0) + coalesce(forms.gap_other, 0))
            as gap_reasons_ticked

    from forms
    left join groups
        on forms.ssb_class = groups.ssb_class
    left join types
        on
            (forms.severity_alcohol is not null) = types.has_alcohol
            and (forms.severity_drugs is not null) = types.has_drugs
            and (forms.severity_pharmaceuticals is not null) = types.has_pharmaceuticals

),

final as (

    select
        derived.*,
        derived.years_of_misuse > 5 as is_over_five_years,
        derived.has_severe_use
        and coalesce(derived.years_of_misuse > 5, false)
        and derived.has_health_problem as is_heavy_municipal_definition,
        case
            when derived.gap_reasons_ticked > 1 then 'kombinasjon'
            when derived.gap_client = 1 then 'forhold hos klienten'
            when derived.gap_other = 1 then 'andre forhold'
            when derived.gap_municipality = 1 then 'forhold i kommunen'
        end as gap_reason

    from derived

)

select * from final
