{#-
    The 2003 service mapping's tables (chapters 4-6) as one long table: per table, row and column, the
    number of forms (n), the base it is a share of (base_n, as the report's denominator for that
    table), the percentage and, for averages, the mean. Every figure is a count of forms (consultations
    or clients), never of persons: no person identifier exists and streams are never added up.
    Privacy: a cell counting 1-4 forms, or with a base of 1-4 forms, is suppressed (primary: n,
    percent_of_base and the means are NULL, and such a base too); then complementary suppression
    along the lines that add up (the lines CTE), so no hidden cell follows by subtraction
    (secondary). Bases are protected too: a hidden remainder row (Tabell 4-6 'Ubesvart' = all forms
    minus the typed forms) hides the typed base of its column, the bases of a row line (the groups' to
    the total column's) are a line, and a hidden base hides its column's cells; then the cell lines
    are complemented again. Multi-response tables (several ticks per form) add up along no column. The report
    itself suppressed nothing. Table ids are the report's own.
-#}


with

hits as (

    select * from {{ ref('int_service_mapping__figure_hits') }}

),

consultations as (

    select * from {{ ref('int_service_mapping__consultation_forms') }}

),

gp as (

    select * from {{ ref('int_service_mapping__gp_forms') }}

),

institutions as (

    select * from {{ ref('int_service_mapping__institution_clients') }}

),

aggregated as (

    select
        form_stream,
        table_id,
        row_label,
        row_order,
        column_label,
        column_order,
        count(*) filter (where is_hit) as n,
        count(*) as base_n,
        avg(amount) as mean_value,
        stddev_samp(amount) as sd_value,
        max(amount) as max_value

    from hits
    group by form_stream, table_id, row_label, row_order, column_label, column_order

),

counts as (

    -- Forms per form_stream and the GPs / institutions that sent them (Tekst 3.1-3.2)
    select
        'consultations' as form_stream,
        'Tekst 3' as table_id,
        'Skjema' as row_label,
        1 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(*) as n,
        null::bigint as base_n
    from consultations

    union all

    select
        'gp' as form_stream,
        'Tekst 3' as table_id,
        'Skjema' as row_label,
        1 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(*) as n,
        null::bigint as base_n
    from gp

    union all

    select
        'gp' as form_stream,
        'Tekst 3' as table_id,
        'Leger med skjema' as row_label,
        2 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(distinct doctor_id) as n,
        null::bigint as base_n
    from gp

    union all

    select
        'institutions' as form_stream,
        'Tekst 3' as table_id,
        'Skjema' as row_label,
        1 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(*) as n,
        null::bigint as base_n
    from institutions

    union all

    select
        'institutions' as form_stream,
        'Tekst 3' as table_id,
        'Institusjoner med skjema' as row_label,
        2 as row_order,
        'Antall' as column_label,
        1 as column_order,
        count(distinct institution_id) as n,
        null::bigint as base_n
    from institutions

),

lines as (

    -- Which cells add up, as data. 'column': rows first_row_order..last_row_order of one column are
    -- exclusive, exhaustive categories adding up to the column's base_n. 'row': the cells of one row
    -- add up, the group columns to the total column ('Total', 'Samlet'), or in Tabell 6-3 the three
    -- statuses to the row's base_n. Tabell 4-9, 4-15, 5-3, 6-2, 6-6, 6-7, 6-8 and Tekst 4.4 are
    -- multi-response or flags: no column line. 'remainder': the row counts what its own base (all
    -- forms) holds beyond the column line's base (Tabell 4-6 'Ubesvart': forms without a type).
    select
        line_values.table_id,
        line_values.line_type,
        line_values.first_row_order,
        line_values.last_row_order
    from (
        values
        ('Tabell 4-6', 'column', 1, 7),
        ('Tabell 4-8', 'column', 1, 4),
        ('Tekst 4.6', 'column', 1, 4),
        ('Tabell 5-4', 'column', 1, 7),
        ('Tabell 5-7', 'column', 1, 2),
        ('Tabell 6-1', 'column', 1, 9),
        ('Tabell 6-5', 'column', 1, 4),
        ('Tekst 6.2', 'column', 1, 3),
        ('Tabell 4-6', 'row', 0, 99),
        ('Tabell 4-8', 'row', 0, 99),
        ('Tabell 4-9', 'row', 0, 99),
        ('Tabell 6-2', 'row', 0, 99),
        ('Tabell 6-3', 'row', 0, 99),
        ('Tabell 6-5', 'row', 0, 99),
        ('Tabell 6-6', 'row', 0, 99),
        ('Tabell 6-7', 'row', 0, 99),
        ('Tabell 6-8', 'row', 0, 99),
        ('Tabell 4-6', 'remainder', 9, 9)
    ) as line_values (table_id, line_type, first_row_order, last_row_order)

),

lined as (

    select
        aggregated.form_stream,
        aggregated.table_id,
        aggregated.row_label,
        aggregated.row_order,
        aggregated.column_label,
        aggregated.column_order,
        aggregated.n,
        aggregated.base_n,
        aggregated.mean_value,
        aggregated.sd_value,
        aggregated.max_value,
        column_lines.table_id is not null as is_column_line,
        row_lines.table_id is not null as is_row_line,
        rest_lines.table_id is not null as is_remainder,
        aggregated.n between 1 and 4 or aggregated.base_n between 1 and 4 as is_primary,
        aggregated.n between 1 and 4 or aggregated.base_n between 1 and 4 as is_hidden

    from aggregated
    left join lines as column_lines
        on
            aggregated.table_id = column_lines.table_id
            and column_lines.line_type = 'column'
            and aggregated.row_order between column_lines.first_row_order and column_lines.last_row_order
    left join lines as row_lines
        on
            aggregated.table_id = row_lines.table_id
            and row_lines.line_type = 'row'
            and aggregated.row_order between row_lines.first_row_order and row_lines.last_row_order
    left join lines as rest_lines
        on
            aggregated.table_id = rest_lines.table_id
            and rest_lines.line_type = 'remainder'
            and aggregated.row_order between rest_lines.first_row_order and rest_lines.last_row_order

),

{%- set carried = [
    'form_stream', 'table_id', 'row_label', 'row_order', 'column_label', 'column_order', 'n', 'base_n',
    'mean_value', 'sd_value', 'max_value', 'is_column_line', 'is_row_line', 'is_remainder', 'is_primary'
] %}
{%- set cell_order = [
    'n', 'row_order', 'column_order', text_in_code_point_order('row_label'),
    text_in_code_point_order('column_label')
] %}
{%- set cell_lines = [
    ('is_column_line', ['form_stream', 'table_id', 'column_label']),
    ('is_row_line', ['form_stream', 'table_id', 'row_label'])
] %}

cells_complemented as (

    {{ complement_lines('lined', carried, cell_lines, cell_order) }}

),

remainder_hidden as (

    -- a hidden remainder (n = its base - the column line's base) would follow from the two bases:
    -- the column line's base is hidden too, and with it the line's cells
    select distinct
        form_stream,
        table_id,
        column_label
    from cells_complemented
    where is_remainder and is_hidden

),

remaindered as (

    select
        cells.*,
        cells.base_n between 1 and 4 or remainder_hidden.table_id is not null as is_base_hidden
    from (
        select
            {{ carried | join(', ') }},
            is_hidden
        from cells_complemented
    ) as cells
    left join remainder_hidden
        on
            cells.form_stream = remainder_hidden.form_stream
            and cells.table_id = remainder_hidden.table_id
            and cells.column_label = remainder_hidden.column_label
            and cells.is_column_line

),

{%- set base_carried = [
    'form_stream', 'table_id', 'row_label', 'column_label', 'column_order', 'base_n', 'is_row_line'
] %}

row_bases as (

    -- the bases of a row line add up too (the groups' bases to the total column's): a line of bases
    select distinct
        form_stream,
        table_id,
        row_label,
        column_label,
        column_order,
        base_n,
        is_row_line,
        is_base_hidden as is_hidden
    from remaindered
    where is_row_line

),

base_partners as (

    -- a base hidden alone on its line hides the smallest shown base too (secondary)
    select distinct
        complemented.form_stream,
        complemented.table_id,
        complemented.column_label,
        complemented.base_n
    from (
        {{ complement_line(
            'row_bases',
            base_carried,
            'is_row_line',
            ['form_stream', 'table_id', 'row_label'],
            ['base_n', 'column_order', text_in_code_point_order('column_label')]
        ) }}
    ) as complemented
    inner join row_bases
        on
            complemented.form_stream = row_bases.form_stream
            and complemented.table_id = row_bases.table_id
            and complemented.row_label = row_bases.row_label
            and complemented.column_label = row_bases.column_label
    where complemented.is_hidden and not row_bases.is_hidden

),

base_lined as (

    -- a hidden base hides every cell of its column on that base
    select
        remaindered.{{ carried | join(', remaindered.') }},
        remaindered.is_base_hidden or base_partners.table_id is not null as is_base_hidden,
        remaindered.is_hidden or remaindered.is_base_hidden or base_partners.table_id is not null as is_hidden
    from remaindered
    left join base_partners
        on
            remaindered.form_stream = base_partners.form_stream
            and remaindered.table_id = base_partners.table_id
            and remaindered.column_label = base_partners.column_label
            and remaindered.base_n = base_partners.base_n

),

{%- set carried = carried + ['is_base_hidden'] %}

suppressed as (

    -- the cells hidden with a base leave lines with one hidden cell: complement again
    {{ complement_lines('base_lined', carried, cell_lines, cell_order) }}

),

final as (

    select
        form_stream,
        table_id,
        row_label,
        row_order::integer as row_order,
        column_label,
        column_order::integer as column_order,
        case when is_hidden then null else n end::integer as n,
        case when is_base_hidden then null else base_n end::integer as base_n,
        case when is_hidden or base_n = 0 then null else 100.0 * n / base_n end::float8 as percent_of_base,
        case when is_hidden or base_n < 5 then null else mean_value end::float8 as mean_value,
        case when is_hidden or base_n < 5 then null else sd_value end::float8 as sd_value,
        case when is_hidden or base_n < 5 then null else max_value end::float8 as max_value,
        is_hidden as is_suppressed,
        case when is_primary then 'primary' when is_hidden then 'secondary' end::varchar as suppression

    from suppressed

    union all

    select
        form_stream,
        table_id,
        row_label,
        row_order::integer,
        column_label,
        column_order::integer,
        n::integer as n,
        base_n::integer as base_n,
        null::float8 as percent_of_base,
        null::float8 as mean_value,
        null::float8 as sd_value,
        null::float8 as max_value,
        false as is_suppressed,
        null::varchar as suppression
    from counts

)

select * from final
