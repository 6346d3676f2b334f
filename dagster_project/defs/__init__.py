"""The modules that define Dagster objects: assets, checks, resources, jobs, schedules, sensors, the
in-process launcher. `dagster_project.definitions` gathers them into one Definitions object."""
