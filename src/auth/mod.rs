//! Who is asking: passwords and one-time tokens.

pub mod password;
pub mod tokens;
