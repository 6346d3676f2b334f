{#-
    The BrukerPlan yearly booklet's tables, weighted as the booklet is: per year, table, row and
    column the weighted number of recipients (sum of the registrations' weights), the weighted base,
    the share, and for averages the weighted mean. The weight expands the participating
    municipalities to all (2015: 18 913 registrations to 27 813); a format without a weight counts
    each registration once. Privacy: a cell built on 1-4 registrations is suppressed, as is a base
    of fewer than 5 (primary); then complementary suppression along the lines that add up, so no
    hidden cell follows by subtraction: the categories of a column-based table add up to the
    column's base, and in the tables of row_lines the group columns add up to the total column
    (secondary). Where the groups' bases add up to the total column's (row_lines), the bases are a
    line too: a base hidden alone hides the smallest shown base and its column's cells (secondary). A hidden cell hides n, weighted n, share and mean alike; no person row is served. Headline counts per year are in the rows of
    table_id 'Innledning'.
-#}

with

hits as (

    select * from {{ ref('int_brukerplan__booklet_hits') }}

),

registrations as (

    select * from {{ ref('int_brukerplan__booklet_registrations') }}

),

aggregated as (

    select
        year,
        table_id,
        row_label,
        row_order,
        column_label,
        column_order,
        base_scope,
        count(*) filter (where is_hit) as n_registrations,
        count(*) as cell_registrations,
        sum(case when is_hit then weight else 0 end) as weighted_n,
        sum(weight) as cell_weighted_n,
        sum(weight * amount) / nullif(sum(case when amount is not null then weight end), 0) as weighted_mean

    from hits
    group by year, table_id, row_label, row_order, column_label, column_order, base_scope

),


based as (

    -- a category table's base is its whole column; a flag's base is the cell's own registrations

    select
        year,
        table_id,
        row_label,
        row_order,
        column_label,
        column_order,
        n_registrations,
        case
            when base_scope = 'column'
                then sum(cell_registrations) over (partition by year, table_id, column_label, base_scope)
            else cell_registrations
        end as base_registrations,
        weighted_n,
        case
            when base_scope = 'column'
                then sum(cell_weighted_n) over (partition by year, table_id, column_label, base_scope)
            else cell_weighted_n
        end as base_weighted_n,
        weighted_mean,
        base_scope

    from aggregated

),

headline as (

    select
        year,
        'Innledning' as table_id,
        'Registreringer' as row_label,
        1 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(*) as n_registrations,
        count(*) as base_registrations,
        count(*)::float8 as weighted_n,
        null::float8 as base_weighted_n,
        null::float8 as weighted_mean,
        'headline' as base_scope
    from registrations
    group by year

    union all

    select
        year,
        'Innledning' as table_id,
        'Kommuner' as row_label,
        2 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(distinct municipality_code) as n_registrations,
        count(*) as base_registrations,
        count(distinct municipality_code)::float8 as weighted_n,
        null::float8 as base_weighted_n,
        null::float8 as weighted_mean,
        'headline' as base_scope
    from registrations
    group by year

    union all

    select
        year,
        'Innledning' as table_id,
        'Tjenestemottakere (vektet)' as row_label,
        3 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(*) as n_registrations,
        count(*) as base_registrations,
        sum(weight) as weighted_n,
        null::float8 as base_weighted_n,
        null::float8 as weighted_mean,
        'headline' as base_scope
    from registrations
    group by year

    union all

    select
        year,
        'Innledning' as table_id,
        'Oppregningsfaktor' as row_label,
        4 as row_order,
        'Vektet per registrering' as column_label,
        1 as column_order,
        count(*) as n_registrations,
        count(*) as base_registrations,
        null::float8 as weighted_n,
        null::float8 as base_weighted_n,
        sum(weight) / count(*) as weighted_mean,
        'headline' as base_scope
    from registrations
    group by year

),

combined as (

    select * from based
    union all
    select * from headline

),

row_lines as (

    -- tables whose group columns add up to a total column, row by row (category rows only):
    -- Tabell 11, 'Tunge brukere' + 'Alle andre' = 'Totalt'
    select 'Tabell 11' as table_id

),

lined as (

    -- a category cell of a column-based table lies on its column's line (the categories are
    -- exclusive and add up to the base); row_lines add the rows' lines
    select
        combined.*,
        combined.base_scope = 'column' as is_column_line,
        combined.base_scope = 'column' and row_lines.table_id is not null as is_row_line,
        combined.n_registrations between 1 and 4 or combined.base_registrations < 5 as is_primary,
        combined.n_registrations between 1 and 4 or combined.base_registrations < 5 as is_hidden

    from combined
    left join row_lines on combined.table_id = row_lines.table_id

),

{%- set base_carried = [
    'year', 'table_id', 'row_label', 'column_label', 'column_order', 'base_registrations', 'is_row_line'
] %}

row_bases as (

    -- the bases of a row line add up too (the groups' bases to the total column's): a line of bases
    select distinct
        year,
        table_id,
        row_label,
        column_label,
        column_order,
        base_registrations,
        is_row_line,
        base_registrations < 5 as is_hidden
    from lined
    where is_row_line

),

base_partners as (

    -- a base hidden alone on its line hides the smallest shown base too (secondary)
    select distinct
        year,
        table_id,
        column_label,
        base_registrations
    from (
        {{ complement_line(
            'row_bases',
            base_carried,
            'is_row_line',
            ['year', 'table_id', 'row_label'],
            ['base_registrations', 'column_order', text_in_code_point_order('column_label')]
        ) }}
    ) as complemented
    where is_hidden and base_registrations >= 5

),

base_lined as (

    -- a hidden base hides every cell of its column
    select
        lined.year,
        lined.table_id,
        lined.row_label,
        lined.row_order,
        lined.column_label,
        lined.column_order,
        lined.n_registrations,
        lined.base_registrations,
        lined.weighted_n,
        lined.base_weighted_n,
        lined.weighted_mean,
        lined.is_column_line,
        lined.is_row_line,
        lined.is_primary,
        lined.base_registrations < 5 or base_partners.table_id is not null as is_base_hidden,
        lined.is_hidden or base_partners.table_id is not null as is_hidden
    from lined
    left join base_partners
        on
            lined.year = base_partners.year
            and lined.table_id = base_partners.table_id
            and lined.column_label = base_partners.column_label
            and lined.base_registrations = base_partners.base_registrations
            and lined.is_row_line

),

{%- set carried = [
    'year', 'table_id', 'row_label', 'row_order', 'column_label', 'column_order', 'n_registrations',
    'base_registrations', 'weighted_n', 'base_weighted_n', 'weighted_mean', 'is_column_line',
    'is_row_line', 'is_primary', 'is_base_hidden'
] %}
{%- set cell_order = [
    'n_registrations', 'row_order', 'column_order', text_in_code_point_order('row_label'),
    text_in_code_point_order('column_label')
] %}

suppressed as (

    {{ complement_lines(
        'base_lined',
        carried,
        [
            ('is_column_line', ['year', 'table_id', 'column_label']),
            ('is_row_line', ['year', 'table_id', 'row_label'])
        ],
        cell_order
    ) }}

),

final as (

    select
        year::integer as year,
        table_id,
        row_label,
        row_order::integer as row_order,
        column_label,
        column_order::integer as column_order,
        is_hidden as is_suppressed,
        case when is_primary then 'primary' when is_hidden then 'secondary' end::varchar as suppression,
        case when is_hidden then null else n_registrations end::integer as n_registrations,
        case when is_base_hidden then null else base_registrations end::integer as base_registrations,
        case when is_hidden then null else weighted_n end::float8 as weighted_n,
        case when is_base_hidden then null else base_weighted_n end::float8 as base_weighted_n,
        case
            when is_hidden or base_weighted_n = 0 then null
            else 100.0 * weighted_n / base_weighted_n
        end::float8 as share_percent,
        case when is_hidden then null else weighted_mean end::float8 as weighted_mean

    from suppressed

)

select * from final
