"""KPI dashboards, charts, exports and the monthly waiting-list report."""
