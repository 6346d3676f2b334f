{#-
    The relation if it exists in the warehouse, else none: for an optional source whose raw table is
    only created by its first delivery. At parse time (not executing) the relation is returned as is.
-#}
{% macro relation_if_exists(relation) -%}
    {%- if execute -%}
        {{ return(adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        )) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
