//! The partner area: its home page (what needs the person today), the activity
//! log and the customer context.

pub mod activity;
pub mod charts;
pub mod context;
pub mod home;
mod home_reach;
pub mod monitors_down;
mod since;
pub mod state_history;

pub use home::home;
