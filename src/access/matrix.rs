//! The partner role matrix (spec, "Partner roles"). Everything that asks what a
//! role may do reads this table: the access decision, the help page and the
//! authorization-matrix test.

use PartnerRole::{AdminAgent, AssistingDistributor, HelpdeskAgent, Owner, SalesAgent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerRole {
    Owner,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
    /// A person of the organisation directly above, helping in this one's
    /// portal because its owners allow it ("distributor assistance"). Never
    /// stored: it exists only for the length of such a session, like the
    /// customer side's assisting partner.
    AssistingDistributor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// The partner home page and the role help.
    SeePartnerHome,
    SeeCustomers,
    /// Create customers, rename them, place orders.
    ManageCustomers,
    SeeCustomerPermissions,
    ToggleCustomerPermissions,
    OpenCustomer,
    ServiceRequestsOnBehalf,
    DissociateCustomer,
    ManageCustomerGroups,
    ManageStaff,
    SeeActivityLog,
    /// Connect the organisation's identity provider, claim its email domains
    /// and decide whether its staff must sign in through it.
    ManageSingleSignOn,
    /// Create and revoke the organisation's API tokens: a credential that acts
    /// for the organisation without a person signing in.
    ManageApiTokens,
    /// Register, change and delete the organisation's webhook endpoints, which
    /// receive its events signed with a secret.
    ManageWebhooks,
    /// Decide whether admin agents may create API tokens too ([`OwnerGrants`]).
    SetApiTokenPolicy,
    /// The organisations under this one (its resellers, at any depth), their
    /// figures and their customers, read-only: every role, as every role
    /// sees the organisation's own customers.
    SeeNetwork,
    /// Create a reseller under the organisation with its first owner: owners
    /// only, as it invites someone in charge of a whole organisation, which
    /// weighs more than inviting staff (also the owners' alone).
    ManageResellers,
    /// Enter a reseller's portal, an hour at a time and with a reason, while
    /// its owners allow it: the roles that may open a customer.
    AssistResellers,
    /// Let the organisation above help in this one's portal, or stop it:
    /// owners only, as it lets other people in.
    ManageDistributorAssistance,
    /// Leave a reseller's portal for one's own organisation.
    LeaveResellerAssistance,
}

/// What an organisation's owners have extended beyond the matrix, read with
/// the identity on each request so that a change applies at once. Only what
/// [`OwnerGrants::extends`] names can be extended; nothing else of an owner's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnerGrants {
    /// Admin agents may create API tokens, and see and revoke their own.
    pub admin_agents_manage_api_tokens: bool,
}

impl OwnerGrants {
    /// Whether these grants give `role` the `capability` the matrix does not.
    pub fn extends(self, role: PartnerRole, capability: Capability) -> bool {
        match (role, capability) {
            (AdminAgent, Capability::ManageApiTokens) => self.admin_agents_manage_api_tokens,
            _ => false,
        }
    }
}

/// Each capability with the roles that hold it.
pub const PARTNER_MATRIX: &[(Capability, &[PartnerRole])] = &[
    (
        Capability::SeePartnerHome,
        &[
            Owner,
            AdminAgent,
            SalesAgent,
            HelpdeskAgent,
            AssistingDistributor,
        ],
    ),
    (
        Capability::SeeCustomers,
        &[
            Owner,
            AdminAgent,
            SalesAgent,
            HelpdeskAgent,
            AssistingDistributor,
        ],
    ),
    (
        Capability::ManageCustomers,
        &[Owner, AdminAgent, SalesAgent, AssistingDistributor],
    ),
    (
        Capability::SeeCustomerPermissions,
        &[
            Owner,
            AdminAgent,
            SalesAgent,
            HelpdeskAgent,
            AssistingDistributor,
        ],
    ),
    (Capability::ToggleCustomerPermissions, &[Owner, AdminAgent]),
    (
        Capability::OpenCustomer,
        &[Owner, AdminAgent, HelpdeskAgent],
    ),
    (
        Capability::ServiceRequestsOnBehalf,
        &[Owner, AdminAgent, HelpdeskAgent, AssistingDistributor],
    ),
    (Capability::DissociateCustomer, &[Owner, AdminAgent]),
    (Capability::ManageCustomerGroups, &[Owner]),
    (Capability::ManageStaff, &[Owner]),
    (Capability::SeeActivityLog, &[Owner, AssistingDistributor]),
    (Capability::ManageSingleSignOn, &[Owner]),
    (Capability::ManageApiTokens, &[Owner]),
    (Capability::ManageWebhooks, &[Owner]),
    (Capability::SetApiTokenPolicy, &[Owner]),
    (
        Capability::SeeNetwork,
        &[
            Owner,
            AdminAgent,
            SalesAgent,
            HelpdeskAgent,
            AssistingDistributor,
        ],
    ),
    (Capability::ManageResellers, &[Owner]),
    (
        Capability::AssistResellers,
        &[Owner, AdminAgent, HelpdeskAgent],
    ),
    (Capability::ManageDistributorAssistance, &[Owner]),
    (Capability::LeaveResellerAssistance, &[AssistingDistributor]),
];

impl Capability {
    /// The Fluent message id describing the capability on the help page.
    pub fn label_key(self) -> &'static str {
        match self {
            Capability::SeePartnerHome => "cap-see-partner-home",
            Capability::SeeCustomers => "cap-see-customers",
            Capability::ManageCustomers => "cap-manage-customers",
            Capability::SeeCustomerPermissions => "cap-see-customer-permissions",
            Capability::ToggleCustomerPermissions => "cap-toggle-customer-permissions",
            Capability::OpenCustomer => "cap-open-customer",
            Capability::ServiceRequestsOnBehalf => "cap-service-requests",
            Capability::DissociateCustomer => "cap-dissociate-customer",
            Capability::ManageCustomerGroups => "cap-manage-groups",
            Capability::ManageStaff => "cap-manage-staff",
            Capability::SeeActivityLog => "cap-see-activity",
            Capability::ManageSingleSignOn => "cap-manage-sso",
            Capability::ManageApiTokens => "cap-manage-api-tokens",
            Capability::ManageWebhooks => "cap-manage-webhooks",
            Capability::SetApiTokenPolicy => "cap-set-api-token-policy",
            Capability::SeeNetwork => "cap-see-network",
            Capability::ManageResellers => "cap-manage-resellers",
            Capability::AssistResellers => "cap-assist-resellers",
            Capability::ManageDistributorAssistance => "cap-manage-distributor-assistance",
            Capability::LeaveResellerAssistance => "cap-leave-reseller-assistance",
        }
    }
}

impl PartnerRole {
    /// The roles stored on memberships (never the assisting distributor's).
    pub const ALL: [PartnerRole; 4] = [Owner, AdminAgent, SalesAgent, HelpdeskAgent];

    pub fn can(self, capability: Capability) -> bool {
        PARTNER_MATRIX
            .iter()
            .any(|(cap, roles)| *cap == capability && roles.contains(&self))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Owner => "owner",
            AdminAgent => "admin_agent",
            SalesAgent => "sales_agent",
            HelpdeskAgent => "helpdesk_agent",
            AssistingDistributor => "assisting_distributor",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// The Fluent message id of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Owner => "role-owner",
            AdminAgent => "role-admin-agent",
            SalesAgent => "role-sales-agent",
            HelpdeskAgent => "role-helpdesk-agent",
            AssistingDistributor => "role-assisting-distributor",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_follows_the_spec() {
        assert!(SalesAgent.can(Capability::ManageCustomers));
        assert!(!HelpdeskAgent.can(Capability::ManageCustomers));
        assert!(!SalesAgent.can(Capability::ToggleCustomerPermissions));
        assert!(SalesAgent.can(Capability::SeeCustomerPermissions));
        assert!(!SalesAgent.can(Capability::OpenCustomer));
        assert!(HelpdeskAgent.can(Capability::OpenCustomer));
        assert!(!AdminAgent.can(Capability::ManageCustomerGroups));
        assert!(!AdminAgent.can(Capability::ManageStaff));
        assert!(Owner.can(Capability::ManageStaff));
    }

    /// Helping a reseller never grants access to anyone, nor reaches its
    /// customers' consoles or the organisations under it.
    #[test]
    fn an_assisting_distributor_grants_nothing_and_opens_nothing() {
        for capability in [
            Capability::OpenCustomer,
            Capability::DissociateCustomer,
            // What a customer's people may buy is handed out with a step-up.
            Capability::ToggleCustomerPermissions,
            // Groups decide what staff limited to them reach.
            Capability::ManageCustomerGroups,
            Capability::ManageStaff,
            Capability::ManageSingleSignOn,
            Capability::ManageApiTokens,
            Capability::ManageWebhooks,
            Capability::SetApiTokenPolicy,
            Capability::ManageResellers,
            Capability::AssistResellers,
            Capability::ManageDistributorAssistance,
        ] {
            assert!(!AssistingDistributor.can(capability), "{capability:?}");
        }
        assert!(AssistingDistributor.can(Capability::ManageCustomers));
        assert!(AssistingDistributor.can(Capability::LeaveResellerAssistance));
        assert!(PartnerRole::parse("assisting_distributor").is_none());
    }

    #[test]
    fn owners_extend_only_api_tokens_and_only_to_admin_agents() {
        let granted = OwnerGrants {
            admin_agents_manage_api_tokens: true,
        };
        assert!(granted.extends(AdminAgent, Capability::ManageApiTokens));
        assert!(!OwnerGrants::default().extends(AdminAgent, Capability::ManageApiTokens));
        for role in [SalesAgent, HelpdeskAgent] {
            assert!(
                !granted.extends(role, Capability::ManageApiTokens),
                "{role:?}"
            );
        }
        for (capability, _) in PARTNER_MATRIX {
            if *capability != Capability::ManageApiTokens {
                assert!(!granted.extends(AdminAgent, *capability), "{capability:?}");
            }
        }
    }

    #[test]
    fn every_capability_appears_once() {
        for (i, (cap, _)) in PARTNER_MATRIX.iter().enumerate() {
            assert!(
                !PARTNER_MATRIX[i + 1..]
                    .iter()
                    .any(|(other, _)| other == cap),
                "{cap:?}"
            );
        }
    }
}
