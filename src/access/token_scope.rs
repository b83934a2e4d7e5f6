//! What a partner API token may be allowed to do, each scope standing for one
//! capability of the partner role matrix: a token acts only where both its
//! scopes and its creator's role allow.

use super::Capability;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// Read customers: the list, one customer.
    ReadCustomers,
    /// Create customers (and, in later steps, change them).
    WriteCustomers,
    /// Read the partner's activity log.
    ReadActivity,
}

impl TokenScope {
    pub const ALL: [TokenScope; 3] = [
        TokenScope::ReadCustomers,
        TokenScope::WriteCustomers,
        TokenScope::ReadActivity,
    ];

    /// The capability a page of the same kind needs.
    pub fn capability(self) -> Capability {
        match self {
            TokenScope::ReadCustomers => Capability::SeeCustomers,
            TokenScope::WriteCustomers => Capability::ManageCustomers,
            TokenScope::ReadActivity => Capability::SeeActivityLog,
        }
    }

    /// The scope's name in forms, in the API's answers and in the OpenAPI
    /// document.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::ReadCustomers => "customers:read",
            TokenScope::WriteCustomers => "customers:write",
            TokenScope::ReadActivity => "activity:read",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == value)
    }

    /// The Fluent message id of the scope's name on the tokens page.
    pub fn label_key(self) -> &'static str {
        match self {
            TokenScope::ReadCustomers => "partner-tokens-scope-read-customers",
            TokenScope::WriteCustomers => "partner-tokens-scope-write-customers",
            TokenScope::ReadActivity => "partner-tokens-scope-read-activity",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_reads_back() {
        for scope in TokenScope::ALL {
            assert_eq!(TokenScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(TokenScope::parse("customers"), None);
    }
}
