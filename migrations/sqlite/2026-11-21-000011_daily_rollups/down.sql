DROP TABLE monitor_daily_rollups;
