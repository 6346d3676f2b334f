{#-
    The BrukerPlan booklet's table cells at registration level: one row per registration and printed
    figure (table, row, column) with its weight; is_hit when the registration counts in the cell's
    numerator, every row counting in its base (the registrations with the item registered, as the
    booklet excludes missing values). mart_brukerplan_booklet sums the weights and suppresses.
    Person-level: never served.
-#}

with

registrations as (

    select * from {{ ref('int_brukerplan__booklet_registrations') }}

),

substance_levels as (

    -- one row per registration and substance, with its use level
    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Alkohol' as substance,
        1 as substance_order,
        substance_alkohol as use_level
    from registrations

    union all

    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Cannabis' as substance,
        2 as substance_order,
        substance_cannabis as use_level
    from registrations

    union all

    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Sentralstimulerende' as substance,
        3 as substance_order,
        substance_sentralstimulerende as use_level
    from registrations

    union all

    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Heroin' as substance,
        4 as substance_order,
        substance_heroin as use_level
    from registrations

    union all

    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Illegale LAR-legemidler' as substance,
        5 as substance_order,
        substance_lar_legemidler_illegalt as use_level
    from registrations

    union all

    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Andre illegale legemidler' as substance,
        6 as substance_order,
        substance_andre_legemidler as use_level
    from registrations

    union all

    select
        year,
        weight,
        age_group,
        index_weighted,
        index_weighted_label,
        is_heavy_user,
        'Annet rusmiddel' as substance,
        7 as substance_order,
        substance_annet_rusmiddel as use_level
    from registrations

),

hits as (

    -- Tabell 1: age bands (base: all)
    select
        year,
        weight,
        'Tabell 1' as table_id,
        age_group as row_label,
        0 as row_order,
        'Alle' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where age_group is not null

    union all

    -- Gender (base: all)
    select
        year,
        weight,
        'Kjønn' as table_id,
        case gender when 'M' then 'Menn' else 'Kvinner' end as row_label,
        case gender when 'M' then 1 else 2 end as row_order,
        'Alle' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where gender is not null

    union all

    -- Tabell 2: the activity area (base: registered)
    select
        year,
        weight,
        'Tabell 2' as table_id,
        case area_aktivitet when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_aktivitet as row_order,
        'Alle brukere' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_aktivitet is not null

    union all

    -- Tabell 3: organised activity (base: registered)
    select
        year,
        weight,
        'Tabell 3' as table_id,
        case organised_activity
            when 0 then 'Ingen organisert aktivitet' when
                1
                then 'Alene eller med frivillige/brukerorganisasjoner'
            else 'Kommunen alene eller med andre'
        end as row_label,
        organised_activity as row_order,
        'Alle brukere' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where organised_activity is not null

    union all

    -- Tabell 4: activity groups, share of all
    select
        year,
        weight,
        'Tabell 4' as table_id,
        activity_group as row_label,
        0 as row_order,
        'Andel av alle' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where activity_group is not null

    union all

    -- Tabell 4: red or blodrød on the index within each group
    select
        year,
        weight,
        'Tabell 4' as table_id,
        activity_group as row_label,
        0 as row_order,
        'Rød/blodrød levekårsindeks' as column_label,
        2 as column_order,
        coalesce(is_index_red_or_worse, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from registrations
    where activity_group is not null and index_weighted is not null

    union all

    -- Fig 6 / Tabell 5: housing, all users
    select
        year,
        weight,
        'Tabell 5' as table_id,
        case area_bolig when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_bolig as row_order,
        'Alle brukere' as column_label,
        5 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_bolig is not null

    union all

    -- Tabell 5: housing by group 'ROP'
    select
        year,
        weight,
        'Tabell 5' as table_id,
        case area_bolig when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_bolig as row_order,
        'ROP' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_bolig is not null and is_rop

    union all

    -- Tabell 5: housing by group 'Alvorlig og langvarig psykisk lidelse'
    select
        year,
        weight,
        'Tabell 5' as table_id,
        case area_bolig when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_bolig as row_order,
        'Alvorlig og langvarig psykisk lidelse' as column_label,
        2 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_bolig is not null and is_serious_mental_disorder

    union all

    -- Tabell 5: housing by group 'LAR'
    select
        year,
        weight,
        'Tabell 5' as table_id,
        case area_bolig when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_bolig as row_order,
        'LAR' as column_label,
        3 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_bolig is not null and in_oat = 1

    union all

    -- Tabell 5: housing by group 'Løslatt fra fengsel'
    select
        year,
        weight,
        'Tabell 5' as table_id,
        case area_bolig when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_bolig as row_order,
        'Løslatt fra fengsel' as column_label,
        4 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_bolig is not null and released_from_prison = 1

    union all

    -- Tabell 6: housing by mental-health severity
    select
        year,
        weight,
        'Tabell 6' as table_id,
        case area_bolig when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_bolig as row_order,
        case mental_health_severity when 1 then 'Mild' when 2 then 'Moderat' else 'Alvorlig' end
            as column_label,
        mental_health_severity as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_bolig is not null and mental_health_severity is not null

    union all

    -- Tabell 8: heavy users (base: all)
    select
        year,
        weight,
        'Tabell 8' as table_id,
        'Tunge brukere (minst ett rusmiddel)' as row_label,
        0 as row_order,
        'Andel av alle' as column_label,
        1 as column_order,
        coalesce(is_heavy_user, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from registrations
    where true

    union all

    -- Tabell 9: heavy users per age band (base: heavy users)
    select
        year,
        weight,
        'Tabell 9' as table_id,
        'Antall tunge brukere' as row_label,
        9 as row_order,
        age_group as column_label,
        0 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where is_heavy_user

    union all

    -- Tabell 11: the index, heavy users vs the others
    select
        year,
        weight,
        'Tabell 11' as table_id,
        index_weighted_label as row_label,
        index_weighted as row_order,
        case when is_heavy_user then 'Tunge brukere' else 'Alle andre' end as column_label,
        case when is_heavy_user then 1 else 2 end as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where index_weighted is not null

    union all

    -- Tabell 11: the index, all users
    select
        year,
        weight,
        'Tabell 11' as table_id,
        index_weighted_label as row_label,
        index_weighted as row_order,
        'Totalt' as column_label,
        3 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where index_weighted is not null

    union all

    -- Tabell 11: red or blodrød
    select
        year,
        weight,
        'Tabell 11' as table_id,
        'Rød eller blodrød' as row_label,
        5 as row_order,
        case when is_heavy_user then 'Tunge brukere' else 'Alle andre' end as column_label,
        case when is_heavy_user then 1 else 2 end as column_order,
        coalesce(is_index_red_or_worse, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from registrations
    where index_weighted is not null

    union all

    -- Tabell 13: LAR patients (base: all)
    select
        year,
        weight,
        'Tabell 13' as table_id,
        'LAR-pasienter' as row_label,
        1 as row_order,
        'Andel av alle' as column_label,
        1 as column_order,
        coalesce(in_oat = 1, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from registrations
    where in_oat is not null

    union all

    -- Tabell 13: heavy users among LAR and non-LAR
    select
        year,
        weight,
        'Tabell 13' as table_id,
        'Tunge brukere' as row_label,
        2 as row_order,
        case when in_oat = 1 then 'LAR' else 'Ikke LAR' end as column_label,
        case when in_oat = 1 then 2 else 3 end as column_order,
        coalesce(is_heavy_user, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from registrations
    where in_oat is not null

    union all

    -- Tabell 13: heavy-use substances per heavy user (mean in amount)
    select
        year,
        weight,
        'Tabell 13' as table_id,
        'Rusmidler per tung bruker' as row_label,
        3 as row_order,
        case when in_oat = 1 then 'LAR' else 'Ikke LAR' end as column_label,
        case when in_oat = 1 then 2 else 3 end as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        n_heavy_substances::float8 as amount
    from registrations
    where in_oat is not null and is_heavy_user

    union all

    -- Tabell 15: the substance-use area, 'Har tatt overdose'
    select
        year,
        weight,
        'Tabell 15' as table_id,
        case area_rusmiddelbruk when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_rusmiddelbruk as row_order,
        'Har tatt overdose' as column_label,
        1 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_rusmiddelbruk is not null and has_overdosed = 1

    union all

    -- Tabell 15: the substance-use area, 'Fare for overdose'
    select
        year,
        weight,
        'Tabell 15' as table_id,
        case area_rusmiddelbruk when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_rusmiddelbruk as row_order,
        'Fare for overdose' as column_label,
        2 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_rusmiddelbruk is not null and overdose_risk = 1

    union all

    -- Tabell 15: the substance-use area, 'Alle brukere'
    select
        year,
        weight,
        'Tabell 15' as table_id,
        case area_rusmiddelbruk when 1 then 'grønn' when 2 then 'gul' when 3 then 'rød' end as row_label,
        area_rusmiddelbruk as row_order,
        'Alle brukere' as column_label,
        3 as column_order,
        coalesce(true, false) as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from registrations
    where area_rusmiddelbruk is not null and true

    union all

    -- Tabell 8: heavy use per substance (base: heavy users)
    select
        year,
        weight,
        'Tabell 8' as table_id,
        substance as row_label,
        substance_order as row_order,
        'Andel av tunge brukere' as column_label,
        2 as column_order,
        coalesce(use_level >= 2, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from substance_levels
    where is_heavy_user

    union all

    -- Tabell 9: heavy use per substance by age (base: heavy users in the band)
    select
        year,
        weight,
        'Tabell 9' as table_id,
        substance as row_label,
        substance_order as row_order,
        age_group as column_label,
        0 as column_order,
        coalesce(use_level >= 2, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from substance_levels
    where is_heavy_user

    union all

    -- Figur 16: the index among heavy users of each substance
    select
        year,
        weight,
        'Figur 16' as table_id,
        index_weighted_label as row_label,
        index_weighted as row_order,
        substance as column_label,
        substance_order as column_order,
        true as is_hit,
        'column' as base_scope,
        null::float8 as amount
    from substance_levels
    where use_level >= 2 and index_weighted is not null

    union all

    -- Vedlegg 2: ROP (base: both areas registered)
    select
        year,
        weight,
        'Vedlegg 2' as table_id,
        'ROP' as row_label,
        1 as row_order,
        'Andel av alle' as column_label,
        1 as column_order,
        coalesce(is_rop, false) as is_hit,
        'cell' as base_scope,
        null::float8 as amount
    from registrations
    where area_rusmiddelbruk is not null and area_psykisk_helse is not null

)

select * from hits
