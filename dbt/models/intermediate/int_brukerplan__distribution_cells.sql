{#-
    Counts behind the BrukerPlan booklet's distribution tables: recipients per living-condition area
    and levekårsindeks category, in total and by size class, gender and age group. Unregistered
    items are left out, as in the booklet. Suppression happens in mart_brukerplan_distribution.
    Incremental by delivery year (macros/incremental_years.sql): a build adds the years whose
    BrukerPlan or population load changed.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='year',
    pre_hook="{{ delete_vanished_years(['brukerplan', 'population']) }}",
) }}

{%- set years = years_to_build(['brukerplan', 'population']) -%}

{%- set areas = [
    'area_bolig',
    'area_fysisk_helse',
    'area_psykisk_helse',
    'area_okonomi',
    'area_aktivitet',
    'area_rusmiddelbruk',
    'area_sosial_fungering',
    'area_nettverk',
] -%}

with

registrations as (

    select * from {{ ref('stg_brukerplan__registrations') }}
    where is_current_load and {{ in_years('delivery_year', years) }}

),

municipalities as (

    select * from {{ ref('int_municipality_years') }}

),

load_keys as (

    {{ year_load_keys(['brukerplan', 'population']) }}

),

enriched as (

    select
        registrations.delivery_year as year,
        registrations.municipality_code,
        registrations.gender,
        registrations.age_group,
        coalesce(municipalities.size_class, 'unknown') as size_class,
        {%- for area in areas %}
            registrations.{{ area }},
        {%- endfor %}
        registrations.index_weighted,
        registrations.index_unweighted

    from registrations
    left join municipalities
        on
            registrations.municipality_code = municipalities.municipality_code
            and registrations.delivery_year = municipalities.year

),

long_items as (

    select
        enriched.year,
        enriched.municipality_code,
        enriched.gender,
        enriched.age_group,
        enriched.size_class,
        unpivoted.measure,
        unpivoted.category_code

    from enriched
    {{ unpivot_lateral(
        'enriched', areas + ['index_weighted', 'index_unweighted'], 'measure', 'category_code'
    ) }}
    where unpivoted.category_code is not null  -- unregistered items are left out

),

counted as (

    select
        year,
        measure,
        category_code,
        size_class,
        gender,
        age_group,
        grouping(size_class) as no_size,
        grouping(gender) as no_gender,
        grouping(age_group) as no_age,
        count(*)::integer as n_persons,
        count(distinct municipality_code)::integer as n_municipalities

    from long_items
    group by grouping sets (
        (year, measure, category_code),
        (year, measure, category_code, size_class),
        (year, measure, category_code, gender),
        (year, measure, category_code, age_group)
    )

),

labelled as (

    select
        year,
        measure,
        case
            when no_size = 0 then 'size_class'
            when no_gender = 0 then 'gender'
            when no_age = 0 then 'age_group'
            else 'total'
        end as group_type,
        coalesce(size_class, gender, age_group, 'alle') as group_value,
        case category_code
            when 1 then 'green'
            when 2 then 'yellow'
            when 3 then 'red'
            when 4 then 'blue_light'
        end as category,
        n_persons,
        n_municipalities

    from counted

),

final as (

    select
        labelled.*,
        load_keys.load_key

    from labelled
    inner join load_keys on labelled.year = load_keys.year

)

select * from final
