{#-
    Complementary suppression along lines that add up, the single-level SQL twin of
    dagster_project.core.privacy.suppression.complement_groups (int_survey_disclosure is the
    two-level form). Within each line (the rows sharing `partition_by` where the boolean column
    `in_line` is true), if exactly one cell is hidden, the smallest cell still shown (by `order_by`,
    a stable key) is hidden too. `source` carries the boolean is_hidden; `columns` lists every other
    column to carry through.

    complement_line: one round along one kind of line. complement_lines: three rounds over every
    kind of line in `lines` (pairs of in_line column and partition columns), as a cell hidden on one
    line can leave a crossing line with one hidden cell; a select statement.
-#}

{% macro complement_line(source, columns, in_line, partition_by, order_by) -%}
    select
        {{ columns | join(', ') }},
        is_hidden or ({{ in_line }} and hidden_in_line = 1 and partner_rank = 1) as is_hidden
    from (
        select
            *,
            sum(case when is_hidden then 1 else 0 end) over (
                partition by {{ in_line }}, {{ partition_by | join(', ') }}
            ) as hidden_in_line,
            row_number() over (
                partition by {{ in_line }}, {{ partition_by | join(', ') }}
                order by case when is_hidden then 1 else 0 end, {{ order_by | join(', ') }}
            ) as partner_rank
        from {{ source }}
    ) as ranked
{%- endmacro %}

{% macro complement_lines(source, columns, lines, order_by) -%}
    {%- set state = namespace(relation=source) -%}
    {%- for round in [1, 2, 3] -%}
        {%- for line in lines -%}
            {%- set step = complement_line(state.relation, columns, line[0], line[1], order_by) -%}
            {%- set state.relation = '(' ~ step ~ ') as round_' ~ round ~ '_' ~ loop.index -%}
        {%- endfor -%}
    {%- endfor -%}
    select * from {{ state.relation }}
{%- endmacro %}
