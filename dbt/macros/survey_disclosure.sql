{#-
    The survey's disclosure rule (2017 report, Vedlegg 3), thresholds per instrument from
    survey_instruments: fewer than min_n_mean valid answers -> 'suppressed' (nothing reported),
    fewer than min_n_distribution -> 'mean_only', otherwise 'full'. Mirrored in Python by
    dagster_project/core/surveys/stats.py; a test checks both agree on every served row. This is the
    primary rule only: int_survey_disclosure adds the complementary suppression the marts apply.
-#}
{% macro survey_disclosure(n, min_n_mean, min_n_distribution) -%}
    case
        when coalesce({{ n }}, 0) < {{ min_n_mean }} then 'suppressed'
        when {{ n }} < {{ min_n_distribution }} then 'mean_only'
        else 'full'
    end
{%- endmacro %}
