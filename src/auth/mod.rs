//! Who is asking: the client address, passwords, one-time tokens, the session
//! store, the typed session, the signed-in identity, the second-factor rule, the
//! log entry and email that follow a change to one's own login, CSRF,
//! and the throttling of password checks. Nothing here knows a feature.

pub mod api_tokens;
pub mod client_address;
pub mod identity;
pub mod members;
pub mod operator;
pub mod own_change;
pub mod partner_tokens;
pub mod password;
pub mod scope;
pub mod second_factor_rule;
pub mod session;
pub mod session_store;
pub mod throttle;
pub mod tokens;
