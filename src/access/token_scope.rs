//! What a partner API token may be allowed to do. A scope names a kind of data
//! and whether the token reads or changes it; each route of the partner API
//! names the scope it needs and the capability of the partner role matrix its
//! page would need (`routes`), so a token acts only where both its scopes and
//! its creator's role allow.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// The customers: list, read, groups, service health.
    ReadCustomers,
    /// Create, rename, change billing, dissociate, put in groups.
    WriteCustomers,
    /// Orders, subscriptions and reservations.
    ReadOrders,
    /// Place orders; renew, exchange and cancel reservations.
    WriteOrders,
    /// The customer permissions and their state.
    ReadPermissions,
    /// Turn customer permissions on and off.
    WritePermissions,
    /// Service requests and their messages.
    ReadRequests,
    /// Open requests on a customer's behalf, reply, change their status.
    WriteRequests,
    /// The partner's activity log.
    ReadActivity,
    /// The organisation's staff.
    ReadStaff,
}

impl TokenScope {
    pub const ALL: [TokenScope; 10] = [
        TokenScope::ReadCustomers,
        TokenScope::WriteCustomers,
        TokenScope::ReadOrders,
        TokenScope::WriteOrders,
        TokenScope::ReadPermissions,
        TokenScope::WritePermissions,
        TokenScope::ReadRequests,
        TokenScope::WriteRequests,
        TokenScope::ReadActivity,
        TokenScope::ReadStaff,
    ];

    /// The scope's name in forms, in the stored list, in the API's answers and
    /// in the OpenAPI document.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::ReadCustomers => "customers:read",
            TokenScope::WriteCustomers => "customers:write",
            TokenScope::ReadOrders => "orders:read",
            TokenScope::WriteOrders => "orders:write",
            TokenScope::ReadPermissions => "permissions:read",
            TokenScope::WritePermissions => "permissions:write",
            TokenScope::ReadRequests => "requests:read",
            TokenScope::WriteRequests => "requests:write",
            TokenScope::ReadActivity => "activity:read",
            TokenScope::ReadStaff => "staff:read",
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
            TokenScope::ReadOrders => "partner-tokens-scope-read-orders",
            TokenScope::WriteOrders => "partner-tokens-scope-write-orders",
            TokenScope::ReadPermissions => "partner-tokens-scope-read-permissions",
            TokenScope::WritePermissions => "partner-tokens-scope-write-permissions",
            TokenScope::ReadRequests => "partner-tokens-scope-read-requests",
            TokenScope::WriteRequests => "partner-tokens-scope-write-requests",
            TokenScope::ReadActivity => "partner-tokens-scope-read-activity",
            TokenScope::ReadStaff => "partner-tokens-scope-read-staff",
        }
    }

    /// The stored form of a token's scopes: their names, in `ALL`'s order,
    /// separated by spaces.
    pub fn list(scopes: &[TokenScope]) -> String {
        Self::ALL
            .into_iter()
            .filter(|scope| scopes.contains(scope))
            .map(TokenScope::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The scopes of a stored list; a name this version does not know gives
    /// nothing.
    pub fn parse_list(stored: &str) -> Vec<TokenScope> {
        let named: Vec<TokenScope> = stored.split(' ').filter_map(TokenScope::parse).collect();
        Self::ALL
            .into_iter()
            .filter(|scope| named.contains(scope))
            .collect()
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

    #[test]
    fn a_stored_list_reads_back_and_ignores_unknown_names() {
        let scopes = [TokenScope::ReadStaff, TokenScope::ReadCustomers];
        let stored = TokenScope::list(&scopes);
        assert_eq!(stored, "customers:read staff:read");
        assert_eq!(
            TokenScope::parse_list(&format!("{stored} billing:write")),
            vec![TokenScope::ReadCustomers, TokenScope::ReadStaff]
        );
        assert!(TokenScope::parse_list("").is_empty());
    }
}
