{#-
    The change and colour rules of the status tables, in SQL. The same rules exist as pure Python
    functions (dagster_project/core/indicators/rules.py); an integration test checks that both agree on
    every indicator, so either can serve as the other's oracle.
-#}

{% macro year_on_year_change(previous, current, change_unit) -%}
    case
        when {{ previous }} is null or {{ current }} is null then null
        when {{ change_unit }} = 'percentage_points' then {{ current }} - {{ previous }}
        when {{ previous }} <= 0 then null
        else ({{ current }} / {{ previous }} - 1) * 100
    end
{%- endmacro %}

{% macro year_on_year_na_reason(previous, current, change_unit) -%}
    case
        when {{ previous }} is null or {{ current }} is null then 'missing_value'
        when {{ change_unit }} = 'percentage_points' then null
        when {{ previous }} <= 0 then 'base_not_positive'
    end
{%- endmacro %}

{% macro annualised_change(base, last, years, change_unit) -%}
    case
        when {{ base }} is null or {{ last }} is null then null
        when {{ change_unit }} = 'percentage_points' then ({{ last }} - {{ base }}) / {{ years }}
        when {{ base }} <= 0 or {{ last }} < 0 then null
        else (power({{ last }} / {{ base }}, 1.0 / {{ years }}) - 1) * 100
    end
{%- endmacro %}

{% macro annualised_na_reason(base, last, change_unit) -%}
    case
        when {{ base }} is null or {{ last }} is null then 'missing_value'
        when {{ change_unit }} = 'percentage_points' then null
        when {{ base }} <= 0 then 'base_not_positive'
        when {{ last }} < 0 then 'negative_value'
    end
{%- endmacro %}

{#- green/red only beyond the threshold (strictly); rounding to 9 decimals keeps float noise out. -#}
{% macro change_colour(change, change_unit, desired_direction) -%}
    case
        when {{ change }} is null then 'grey'
        when {{ desired_direction }} not in ('up', 'down') then 'none'
        when {{ round_float(change, 9) }} * (case when {{ desired_direction }} = 'up' then 1 else -1 end)
            > {{ change_threshold(change_unit) }} then 'green'
        when {{ round_float(change, 9) }} * (case when {{ desired_direction }} = 'up' then 1 else -1 end)
            < -{{ change_threshold(change_unit) }} then 'red'
        else 'yellow'
    end
{%- endmacro %}

{% macro change_threshold(change_unit) -%}
    (case when {{ change_unit }} = 'percentage_points'
        then {{ var('threshold_percentage_points') }} else {{ var('threshold_percent') }} end)
{%- endmacro %}
