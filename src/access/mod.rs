//! Roles. The full capability matrix arrives with the accounts issue; the roles
//! themselves are fixed by the spec.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerRole {
    Owner,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
}

impl PartnerRole {
    pub const ALL: [PartnerRole; 4] = [
        PartnerRole::Owner,
        PartnerRole::AdminAgent,
        PartnerRole::SalesAgent,
        PartnerRole::HelpdeskAgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnerRole::Owner => "owner",
            PartnerRole::AdminAgent => "admin_agent",
            PartnerRole::SalesAgent => "sales_agent",
            PartnerRole::HelpdeskAgent => "helpdesk_agent",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// The Fluent message id of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            PartnerRole::Owner => "role-owner",
            PartnerRole::AdminAgent => "role-admin-agent",
            PartnerRole::SalesAgent => "role-sales-agent",
            PartnerRole::HelpdeskAgent => "role-helpdesk-agent",
        }
    }
}
