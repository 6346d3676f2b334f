"""The report assets: status, survey, BrukerPlan booklet and 2003 service mapping reports."""
