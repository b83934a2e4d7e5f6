//! Support: service health per customer, recorded by the instance
//! operator through the command line or the JSON API, and service requests
//! between a customer and its partner.

pub mod api;
pub mod cli;
pub mod customer_requests;
pub mod demo;
pub mod health;
pub mod health_pages;
pub mod notify;
pub mod request_pages;
pub mod request_views;
pub mod requests;
pub mod text;
