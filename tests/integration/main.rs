//! The integration suite: every test drives the real server over HTTP.

mod accounts;
mod activity_log;
mod authorization;
mod browser;
mod cli;
mod commerce;
mod console;
mod customer_changes;
mod customer_create;
mod customer_import;
mod customer_users;
mod customers;
mod email;
mod helpers;
mod migrations;
mod monitoring;
mod monitoring_helpers;
mod monitoring_rollups;
mod open_customer;
mod partner_home;
mod service_health;
mod service_requests;
mod shell;
mod smtp;
mod staff;
mod support_helpers;
