"""Lint-time stand-in for dbt's ``adapter`` in sqlfluff's Jinja templater (.sqlfluff library_path).

``adapter.dispatch`` renders the DuckDB form of our cross-database macros (macros/cross_database.sql),
so the models lint as the SQL DuckDB runs; dbt itself never loads this file.
"""

DUCKDB_FORMS = {
    "any_value_of": "any_value({})",
    "value_at_min": "arg_min({}, {})",
    "value_at_max": "arg_max({}, {})",
    "round_float": "round({}, {})",
    "analyze_relation": "",
}


def dispatch(macro_name, macro_namespace=None):
    form = DUCKDB_FORMS.get(macro_name)

    def render(*args):
        if form is None:
            return f"{macro_name}({', '.join(str(a) for a in args)})"
        return form.format(*args)

    return render
