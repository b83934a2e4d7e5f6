//! Signing in and out, choosing a membership, activating a login, the role help.

pub mod help;
pub mod links;
pub mod login;
pub mod memberships;
pub mod password;
