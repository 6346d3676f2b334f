{#-
    The 2003 service mapping's table cells at form level: one row per form and printed figure (form_stream,
    table, row, column), is_hit when the form counts in the cell's numerator, every row counting in
    its base (the report's denominator for that table), amount for averages (waiting days, age).
    mart_service_mapping_figures aggregates and suppresses. Form-level: never served.
-#}

with

consultations as (

    select * from {{ ref('int_service_mapping__consultation_forms') }}

),

gp as (

    select * from {{ ref('int_service_mapping__gp_forms') }}

),

institutions as (

    select * from {{ ref('int_service_mapping__institution_clients') }}

),

responses as (

    select * from {{ ref('int_survey_responses') }}
    where instrument like 'service\_mapping\_%' escape '\'

),

types as (

    select * from {{ ref('stg_reference__service_mapping_substance_types') }}

),

-- Consultations by municipality group, and once more as the 'Total' column.
consultations_by_group as (

    select
        consultations.*,
        consultations.report_group as column_label,
        consultations.report_group_order as column_order
    from consultations
    where consultations.report_group <> 'ukjent'

    union all

    select
        consultations.*,
        'Total' as column_label,
        0 as column_order
    from consultations

),

institutions_by_type as (

    select
        institutions.*,
        institutions.institution_type as column_label,
        institutions.institution_type_code as column_order
    from institutions

    union all

    select
        institutions.*,
        'Samlet' as column_label,
        9 as column_order
    from institutions

),


health_types as (

    select
        'ingen/ukjent' as health_problem_type,
        1 as row_order
    union all
    select
        'somatisk' as health_problem_type,
        2 as row_order
    union all
    select
        'psykisk' as health_problem_type,
        3 as row_order
    union all
    select
        'psykisk + somatisk' as health_problem_type,
        4 as row_order

),

application_types as (

    select
        'Poliklinisk behandling' as category_label,
        1 as row_order
    union all
    select
        'Institusjonsopphold' as category_label,
        2 as row_order
    union all
    select
        'Legemiddelassistert rehabilitering' as category_label,
        3 as row_order

),

consultation_measures as (

    select
        'Tunge rusmiddelmisbrukere (kommunal definisjon)' as category_label,
        3 as row_order
    union all
    select
        'Narkotikamisbruk (alene eller sammen med annet)' as category_label,
        4 as row_order
    union all
    select
        'Alvorlige psykiske problemer' as category_label,
        5 as row_order

),

gap_reasons as (

    select
        'forhold hos klienten' as category_label,
        1 as row_order
    union all
    select
        'andre forhold' as category_label,
        2 as row_order
    union all
    select
        'forhold i kommunen' as category_label,
        3 as row_order
    union all
    select
        'kombinasjon' as category_label,
        4 as row_order

),

gp_statuses as (

    select
        'ikke LAR' as category_label,
        1 as row_order
    union all
    select
        'LAR startet' as category_label,
        2 as row_order
    union all
    select
        'Alvorlige psykiske problemer' as category_label,
        3 as row_order

),

severity_levels as (

    select
        1 as category_code,
        'Vet ikke' as category_label
    union all
    select
        2 as category_code,
        'Lite' as category_label
    union all
    select
        3 as category_code,
        'Middels' as category_label
    union all
    select
        4 as category_code,
        'Stort' as category_label
    union all
    select
        9 as category_code,
        'Ubesvart' as category_label

),

offer_statuses as (

    select
        1 as category_code,
        'Ikke aktuelt' as category_label,
        1 as column_order
    union all
    select
        3 as category_code,
        'Mottar tilbudet' as category_label,
        2 as column_order
    union all
    select
        2 as category_code,
        'Udekket behov' as category_label,
        3 as column_order

),

waiting_bands as (

    select
        'mindre enn en uke' as category_label,
        1 as row_order
    union all
    select
        '1-4 uker' as category_label,
        2 as row_order
    union all
    select
        '5-13 uker' as category_label,
        3 as row_order
    union all
    select
        'over 13 uker' as category_label,
        4 as row_order

),

insufficiency_reasons as (

    select
        'Pasienten ønsker ikke mer hjelp' as category_label,
        1 as row_order
    union all
    select
        'Mangler kompetanse' as category_label,
        2 as row_order
    union all
    select
        'For liten kapasitet' as category_label,
        3 as row_order
    union all
    select
        'Dårlig samarbeid' as category_label,
        4 as row_order

),

client_measures as (

    select
        'Korttids/poliklinisk behandling' as category_label,
        1 as row_order
    union all
    select
        'Langtids behandling' as category_label,
        2 as row_order
    union all
    select
        'Omsorg' as category_label,
        3 as row_order
    union all
    select
        'Menn' as category_label,
        4 as row_order
    union all
    select
        'Ikke egen bolig' as category_label,
        5 as row_order
    union all
    select
        'Tunge rusmiddelmisbrukere (institusjonsdefinisjon)' as category_label,
        6 as row_order
    union all
    select
        'Bruker heroin/opiater' as category_label,
        7 as row_order

),

-- One row per form and figure: is_hit counts in n, every row counts in base_n.
hits as (

    -- Tabell 4-6: substance type by municipality group (base: forms with a type)
    select
        'consultations' as form_stream,
        'Tabell 4-6' as table_id,
        types.substance_type as row_label,
        types.substance_type_order as row_order,
        form_rows.column_label,
        form_rows.column_order,
        form_rows.substance_type = types.substance_type as is_hit,
        null::float8 as amount
    from consultations_by_group as form_rows
    cross join types
    where form_rows.substance_type is not null

    union all

    select
        'consultations' as form_stream,
        'Tabell 4-6' as table_id,
        'Ubesvart' as row_label,
        9 as row_order,
        column_label,
        column_order,
        substance_type is null as is_hit,
        null::float8 as amount
    from consultations_by_group

    union all

    -- Tabell 4-8: health-problem type by municipality group (base: all forms)
    select
        'consultations' as form_stream,
        'Tabell 4-8' as table_id,
        labels.health_problem_type as row_label,
        labels.row_order,
        form_rows.column_label,
        form_rows.column_order,
        form_rows.health_problem_type = labels.health_problem_type as is_hit,
        null::float8 as amount
    from consultations_by_group as form_rows
    cross join health_types as labels

    union all

    -- Tabell 4-9: applications in the last 6 months by municipality group (base: all forms)
    select
        'consultations' as form_stream,
        'Tabell 4-9' as table_id,
        applications.category_label as row_label,
        applications.row_order,
        form_rows.column_label,
        form_rows.column_order,
        case applications.row_order
            when 1 then form_rows.applied_outpatient = 1
            when 2 then form_rows.applied_institution = 1
            else form_rows.applied_lar = 1
        end as is_hit,
        null::float8 as amount
    from consultations_by_group as form_rows
    cross join application_types as applications

    union all

    -- Tabell 4-10: waiting days, forms applying for one offer only (mean in amount)
    select
        'consultations' as form_stream,
        'Tabell 4-10' as table_id,
        case
            when applied_outpatient = 1 then 'Poliklinisk behandling'
            when applied_institution = 1 then 'Institusjonsopphold'
            else 'Legemiddelassistert rehabilitering'
        end as row_label,
        case when applied_outpatient = 1 then 1 when applied_institution = 1 then 2 else 3 end as row_order,
        'Ventetid (dager)' as column_label,
        1 as column_order,
        true as is_hit,
        waiting_days as amount
    from consultations
    where applications = 1 and waiting_days is not null

    union all

    -- §4.4: stort misbruk (base: all form_rows), duration (base: forms with a duration),
    -- heavy abusers, drug use and psychiatric problems (base: forms with a substance type)
    select
        'consultations' as form_stream,
        'Tekst 4.4' as table_id,
        'Stort misbruk av minst ett rusmiddel' as row_label,
        1 as row_order,
        'Alle skjema' as column_label,
        1 as column_order,
        has_severe_use as is_hit,
        null::float8 as amount
    from consultations

    union all

    select
        'consultations' as form_stream,
        'Tekst 4.4' as table_id,
        'Misbruk i mer enn 5 år' as row_label,
        2 as row_order,
        'Skjema med varighet' as column_label,
        2 as column_order,
        is_over_five_years as is_hit,
        null::float8 as amount
    from consultations
    where years_of_misuse is not null

    union all

    select
        'consultations' as form_stream,
        'Tekst 4.4' as table_id,
        measures.category_label as row_label,
        measures.row_order,
        'Skjema med type misbruk' as column_label,
        3 as column_order,
        case measures.row_order
            when 3 then form_rows.is_heavy_municipal_definition
            when 4 then form_rows.has_drug_use
            else form_rows.has_psychiatric_problem
        end as is_hit,
        null::float8 as amount
    from consultations as form_rows
    cross join consultation_measures as measures
    where form_rows.substance_type is not null

    union all

    -- §4.6.4: main reason for the gap between need and offer (base: forms with a reason)
    select
        'consultations' as form_stream,
        'Tekst 4.6' as table_id,
        reasons.category_label as row_label,
        reasons.row_order,
        'Skjema med årsak' as column_label,
        1 as column_order,
        form_rows.gap_reason = reasons.category_label as is_hit,
        null::float8 as amount
    from consultations as form_rows
    cross join gap_reasons as reasons
    where form_rows.gap_reason is not null

    union all

    -- Tabell 4-15 (Q7, Q8, Q22) and 5-3 (GP Q6): ticked items, base all forms
    select
        case instrument when 'service_mapping_consultations' then 'consultations' else 'gp' end
            as form_stream,
        case instrument
            when 'service_mapping_consultations' then 'Tabell 4-15'
            else 'Tabell 5-3'
        end as table_id,
        item_text as row_label,
        0 as row_order,
        'Alle skjema' as column_label,
        1 as column_order,
        code = 1 as is_hit,
        null::float8 as amount
    from responses
    where
        item_code in ('q7', 'q8')
        or item_code like 'q22\_%' escape '\'
        or (instrument = 'service_mapping_gp' and item_code like 'q6\_%' escape '\')

    union all

    -- Tabell 5-4: GP substance type (base: forms with a type)
    select
        'gp' as form_stream,
        'Tabell 5-4' as table_id,
        types.substance_type as row_label,
        types.substance_type_order as row_order,
        'Skjema med type misbruk' as column_label,
        1 as column_order,
        form_rows.substance_type = types.substance_type as is_hit,
        null::float8 as amount
    from gp as form_rows
    cross join types
    where form_rows.substance_type is not null

    union all

    -- §5.4 and Tabell 5-7: psychiatric problems and LAR status (base: all GP forms)
    select
        'gp' as form_stream,
        'Tabell 5-7' as table_id,
        statuses.category_label as row_label,
        statuses.row_order,
        'Alle skjema' as column_label,
        1 as column_order,
        case statuses.row_order
            when 3 then form_rows.has_psychiatric_problem else form_rows.lar_status = statuses.category_label
        end as is_hit,
        null::float8 as amount
    from gp as form_rows
    cross join gp_statuses as statuses

    union all

    -- Tabell 6-1: severity per substance incl. «ubesvart» (base: all clients)
    select
        'institutions' as form_stream,
        'Tabell 6-1' as table_id,
        levels.category_label as row_label,
        levels.category_code as row_order,
        responses.item_text as column_label,
        case responses.item_code when 'alkohol' then 1 when 'medikamenter' then 2 else 3 end as column_order,
        coalesce(responses.code, 9) = levels.category_code as is_hit,
        null::float8 as amount
    from responses
    cross join severity_levels as levels
    where
        responses.instrument = 'service_mapping_institutions'
        and responses.item_code in ('alkohol', 'medikamenter', 'narkotika')

    union all

    -- Tabell 6-2, 6-6 (social service), 6-7: «Ja» or ticked (base: all clients), by institution type
    select
        'institutions' as form_stream,
        case
            when responses.item_code in ('somatisk', 'psykisk') then 'Tabell 6-2'
            when responses.item_code = 'samarbeid_sosialtjeneste' then 'Tabell 6-6'
            else 'Tabell 6-7'
        end as table_id,
        responses.item_text as row_label,
        0 as row_order,
        form_rows.column_label,
        form_rows.column_order,
        responses.code = 1 as is_hit,
        null::float8 as amount
    from responses
    inner join institutions_by_type as form_rows
        on responses.respondent_id = form_rows.form_id and responses.wave = form_rows.wave
    where
        responses.item_code in (
            'somatisk',
            'psykisk',
            'samarbeid_sosialtjeneste',
            'koordinator',
            'ansvarsgruppe',
            'individuell_plan'
        )

    union all

    -- Tabell 6-3: the offers grid, share per status (base: clients answering the item)
    select
        'institutions' as form_stream,
        'Tabell 6-3' as table_id,
        responses.item_text as row_label,
        0 as row_order,
        statuses.category_label as column_label,
        statuses.column_order,
        responses.code = statuses.category_code as is_hit,
        null::float8 as amount
    from responses
    cross join offer_statuses as statuses
    where
        responses.instrument = 'service_mapping_institutions'
        and responses.item_code like 'behov\_%' escape '\'
        and responses.code is not null

    union all

    -- Tabell 6-5: waiting time in weeks by institution type (base: clients with a waiting time)
    select
        'institutions' as form_stream,
        'Tabell 6-5' as table_id,
        bands.category_label as row_label,
        bands.row_order,
        form_rows.column_label,
        form_rows.column_order,
        form_rows.waiting_band = bands.category_label as is_hit,
        null::float8 as amount
    from institutions_by_type as form_rows
    cross join waiting_bands as bands
    where form_rows.waiting_band is not null

    union all

    -- Tabell 6-8: reasons the offer is insufficient (base: clients with a reason ticked)
    select
        'institutions' as form_stream,
        'Tabell 6-8' as table_id,
        reasons.category_label as row_label,
        reasons.row_order,
        form_rows.column_label,
        form_rows.column_order,
        case reasons.row_order
            when 1 then form_rows.reason_wants_no_more_help = 1
            when 2 then form_rows.reason_lacks_competence = 1
            when 3 then form_rows.reason_lacks_capacity = 1
            else form_rows.reason_poor_collaboration = 1
        end as is_hit,
        null::float8 as amount
    from institutions_by_type as form_rows
    cross join insufficiency_reasons as reasons
    where form_rows.reasons_ticked > 0

    union all

    -- §6.2: clients by institution type, men, no own home, heavy use, heroin (base: all clients)
    select
        'institutions' as form_stream,
        'Tekst 6.2' as table_id,
        measures.category_label as row_label,
        measures.row_order,
        'Alle klienter' as column_label,
        1 as column_order,
        case measures.row_order
            when 1 then form_rows.institution_type_code = 1
            when 2 then form_rows.institution_type_code = 2
            when 3 then form_rows.institution_type_code = 3
            when 4 then form_rows.gender = 'Mann'
            when 5 then form_rows.has_no_own_home
            when 6 then form_rows.is_heavy_institution_definition
            else form_rows.heroin_opiates = 1
        end as is_hit,
        null::float8 as amount
    from institutions as form_rows
    cross join client_measures as measures

    union all

    select
        'institutions' as form_stream,
        'Tekst 6.2' as table_id,
        'Alder' as row_label,
        8 as row_order,
        'Alle klienter' as column_label,
        1 as column_order,
        true as is_hit,
        age::float8 as amount
    from institutions
    where age is not null

)

select * from hits
