{#-
    Person level (stays in intermediate, never in marts): each current-vintage registration's place
    in each BrukerPlan indicator. Denominator = recipients with the item registered; any_plan is
    derived from the four plan/meeting services. Which levekårsindeks variant counts depends on the
    year (seed brukerplan_indicator_definitions: weighted to 2018, unweighted from 2019).
    Per engine (dbt_project.yml): a view on DuckDB (its incremental consumers ask it for the years they build, and
    the year filter reaches the raw scan; writing the rows cost more than computing them twice), on
    PostgreSQL a table incremental by delivery year (macros/incremental_years.sql).
-#}

{{ config(
    incremental_strategy='delete+insert',
    unique_key='year',
    pre_hook="{{ delete_vanished_years(['brukerplan']) }}",
) }}

{%- set years = years_to_build(['brukerplan']) -%}

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

load_keys as (

    {{ year_load_keys(['brukerplan']) }}

),

definitions as (

    select * from {{ ref('stg_reference__brukerplan_indicator_definitions') }}

),

items as (

    select
        delivery_year as year,
        registration_key,
        municipality_code,
        gender,
        age_group,
        {%- for area in areas %}
            {{ area }},
        {%- endfor %}
        index_weighted,
        index_unweighted,
        in_work,
        case
            when
                service_individuell_plan is null
                and service_kriseplan is null
                and service_ansvarsgruppe is null
                and service_nettverksmote is null
                then null
            when greatest(
                coalesce(service_individuell_plan, 0),
                coalesce(service_kriseplan, 0),
                coalesce(service_ansvarsgruppe, 0),
                coalesce(service_nettverksmote, 0)
            ) = 1 then 1
            else 0
        end as any_plan

    from registrations

),

long_items as (

    select
        items.year,
        items.registration_key,
        items.municipality_code,
        items.gender,
        items.age_group,
        unpivoted.item,
        unpivoted.item_value

    from items
    {{ unpivot_lateral(
        'items', areas + ['index_weighted', 'index_unweighted', 'in_work', 'any_plan'], 'item', 'item_value'
    ) }}

),

final as (

    select
        definitions.indicator_no,
        long_items.year,
        long_items.registration_key,
        long_items.municipality_code,
        long_items.gender,
        long_items.age_group,
        long_items.item_value is not null as in_denominator,
        coalesce(
            array_position(definitions.positive_codes, long_items.item_value::varchar) is not null, false
        ) as is_positive,
        load_keys.load_key

    from long_items
    inner join load_keys on long_items.year = load_keys.year
    inner join definitions
        on
            long_items.item = definitions.item
            and long_items.year >= definitions.first_year
            and long_items.year <= coalesce(definitions.last_year, 9999)

)

select * from final
