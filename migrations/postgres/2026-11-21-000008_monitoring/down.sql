DROP TABLE dashboard_monitors;
DROP TABLE dashboards;
DROP TABLE monitor_errors;
DROP TABLE monitor_rollups;
DROP TABLE monitor_results;
DROP TABLE monitors;
