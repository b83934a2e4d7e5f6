//! Partnerdesk: a partner portal for resellers and managed service providers.

pub mod access;
pub mod accounts;
pub mod assisted;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod commerce;
pub mod config;
pub mod console;
pub mod customers;
pub mod db;
pub mod demo;
pub mod email;
pub mod home;
pub mod i18n;
pub mod invitations;
pub mod monitoring;
pub mod partner;
pub mod partners;
pub mod routes;
pub mod signin;
pub mod staff;
pub mod startup;
pub mod support;
pub mod web;
