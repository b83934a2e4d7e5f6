//! Who is asking: the client address, passwords, one-time tokens, the session
//! store, the typed session, the signed-in identity, CSRF, and the throttling of
//! password checks.

pub mod client_address;
pub mod csrf;
pub mod identity;
pub mod members;
pub mod password;
pub mod session;
pub mod session_store;
pub mod throttle;
pub mod tokens;
