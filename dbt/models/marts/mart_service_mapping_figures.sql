{#-
    The 2003 service mapping's tables (chapters 4-6) as one long table: per table, row and column, the
    number of forms (n), the base it is a share of (base_n, as the report's denominator for that
    table), the percentage and, for averages, the mean. Every figure is a count of forms (consultations
    or clients), never of persons: no person identifier exists and streams are never added up.
    Privacy: a cell counting 1-4 forms is suppressed (n, percent_of_base and mean are NULL); the report itself
    suppressed nothing. Table ids are the report's own.
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

final as (

    select
        form_stream,
        table_id,
        row_label,
        row_order::integer as row_order,
        column_label,
        column_order::integer as column_order,
        case when n between 1 and 4 then null else n end::integer as n,
        base_n::integer as base_n,
        case when n between 1 and 4 or base_n = 0 then null else 100.0 * n / base_n end::float8
            as percent_of_base,
        case when base_n < 5 then null else mean_value end::float8 as mean_value,
        case when base_n < 5 then null else sd_value end::float8 as sd_value,
        case when base_n < 5 then null else max_value end::float8 as max_value,
        n between 1 and 4 as is_suppressed

    from aggregated

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
        false as is_suppressed
    from counts

)

select * from final
