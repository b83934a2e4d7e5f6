//! Who may do what. The partner role matrix of the spec lives here, in one table;
//! `decide` is the one place where a request is let through or not, and every
//! route declares what it needs in `crate::routes`.

mod matrix;

pub use matrix::{Capability, PARTNER_MATRIX, PartnerRole};

/// The roles of a customer account's people; what each may do is in
/// [`CUSTOMER_MATRIX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerRole {
    Administrator,
    User,
    /// A partner user inside the customer's console through "open customer".
    /// Never stored: it exists only for the length of such a session.
    AssistingPartner,
}

impl CustomerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerRole::Administrator => "administrator",
            CustomerRole::User => "user",
            CustomerRole::AssistingPartner => "assisting_partner",
        }
    }

    /// A role stored on a membership (never the assisting partner's).
    pub fn parse(value: &str) -> Option<Self> {
        [CustomerRole::Administrator, CustomerRole::User]
            .into_iter()
            .find(|role| role.as_str() == value)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CustomerRole::Administrator => "role-customer-administrator",
            CustomerRole::User => "role-customer-user",
            CustomerRole::AssistingPartner => "role-assisting-partner",
        }
    }

    pub const ALL: [CustomerRole; 3] = [
        CustomerRole::Administrator,
        CustomerRole::User,
        CustomerRole::AssistingPartner,
    ];

    pub fn can(self, capability: CustomerCapability) -> bool {
        CUSTOMER_MATRIX
            .iter()
            .any(|(cap, roles)| *cap == capability && roles.contains(&self))
    }
}

/// What the people of a customer account may do in its console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerCapability {
    /// The account's overview, sites, subscriptions and the assistance state.
    SeeAccount,
    /// Turn partner assistance on or off, and choose to be emailed when the
    /// partner opens the account: the customer's own decisions.
    ManagePartnerAssistance,
    /// The activity concerning the account.
    SeeActivity,
    /// Create and rename any site, and choose who administers each.
    ManageSites,
    /// Rename the sites one administers (checked per site by the handler for
    /// roles without `ManageSites`).
    ManageAssignedSites,
    /// The account's people and their pending invitations.
    SeeUsers,
    /// Invite people, change their role, disable them, resend or revoke invitations.
    ManageUsers,
    /// Leave a session opened through "open customer".
    LeaveAssistedSession,
    /// The account's orders, subscriptions and reservations.
    SeeOrders,
    /// Give or take the Owner role on the account's subscriptions.
    ManageSubscriptionOwners,
    /// Buy reservations, while the partner allows it (seed 004). Not the
    /// assisting partner: a purchase in the console is the customer's own.
    BuyReservations,
    /// The account's services and incidents (E1).
    SeeServiceHealth,
    /// Open service requests with the partner, see the account's and write in
    /// them (E2). An assisting partner uses the partner's own pages instead.
    ServiceRequests,
    /// The account's monitors, their results and error logs, and its
    /// dashboards (C1, C2).
    SeeMonitors,
    /// Create, edit and delete monitors. The assisting partner may, as it may
    /// set up sites: configuring monitoring is the help a partner gives.
    ManageMonitors,
    /// Create, rename and delete dashboards and choose their monitors.
    ManageDashboards,
    /// Create and revoke the account's API tokens (monitoring agents). Only the
    /// customer's administrators: a credential acting for the account is never
    /// minted by the partner.
    ManageApiTokens,
}

/// Each customer capability with the roles that hold it.
pub const CUSTOMER_MATRIX: &[(CustomerCapability, &[CustomerRole])] = &[
    (
        CustomerCapability::SeeAccount,
        &[
            CustomerRole::Administrator,
            CustomerRole::User,
            CustomerRole::AssistingPartner,
        ],
    ),
    (
        CustomerCapability::ManagePartnerAssistance,
        &[CustomerRole::Administrator],
    ),
    (
        CustomerCapability::SeeActivity,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::ManageSites,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::ManageAssignedSites,
        &[
            CustomerRole::Administrator,
            CustomerRole::User,
            CustomerRole::AssistingPartner,
        ],
    ),
    (
        CustomerCapability::SeeUsers,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::ManageUsers,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::LeaveAssistedSession,
        &[CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::SeeOrders,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::ManageSubscriptionOwners,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::BuyReservations,
        &[CustomerRole::Administrator],
    ),
    (
        CustomerCapability::SeeServiceHealth,
        &[
            CustomerRole::Administrator,
            CustomerRole::User,
            CustomerRole::AssistingPartner,
        ],
    ),
    (
        CustomerCapability::ServiceRequests,
        &[CustomerRole::Administrator, CustomerRole::User],
    ),
    (
        CustomerCapability::SeeMonitors,
        &[
            CustomerRole::Administrator,
            CustomerRole::User,
            CustomerRole::AssistingPartner,
        ],
    ),
    (
        CustomerCapability::ManageMonitors,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::ManageDashboards,
        &[CustomerRole::Administrator, CustomerRole::AssistingPartner],
    ),
    (
        CustomerCapability::ManageApiTokens,
        &[CustomerRole::Administrator],
    ),
];

impl CustomerCapability {
    /// The Fluent message id describing the capability on the help page.
    pub fn label_key(self) -> &'static str {
        match self {
            CustomerCapability::SeeAccount => "ccap-see-account",
            CustomerCapability::ManagePartnerAssistance => "ccap-manage-assistance",
            CustomerCapability::SeeActivity => "ccap-see-activity",
            CustomerCapability::ManageSites => "ccap-manage-sites",
            CustomerCapability::ManageAssignedSites => "ccap-manage-assigned-sites",
            CustomerCapability::SeeUsers => "ccap-see-users",
            CustomerCapability::ManageUsers => "ccap-manage-users",
            CustomerCapability::LeaveAssistedSession => "ccap-leave-assisted",
            CustomerCapability::SeeOrders => "ccap-see-orders",
            CustomerCapability::ManageSubscriptionOwners => "ccap-manage-subscription-owners",
            CustomerCapability::BuyReservations => "ccap-buy-reservations",
            CustomerCapability::SeeServiceHealth => "ccap-see-service-health",
            CustomerCapability::ServiceRequests => "ccap-service-requests",
            CustomerCapability::SeeMonitors => "ccap-see-monitors",
            CustomerCapability::ManageMonitors => "ccap-manage-monitors",
            CustomerCapability::ManageDashboards => "ccap-manage-dashboards",
            CustomerCapability::ManageApiTokens => "ccap-manage-api-tokens",
        }
    }
}

use crate::auth::identity::{Identity, MembershipScope};

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in login, whatever membership it has chosen.
    SignedIn,
    /// A member of a partner organisation whose role has the capability.
    Partner(Capability),
    /// A member of a customer account whose role has the capability.
    Customer(CustomerCapability),
    /// The JSON API, for a live operator token (`Authorization: Bearer`); a
    /// session, whoever's, counts for nothing there.
    ApiOperator,
    /// The monitoring API, for a live token of a customer account; the handler
    /// scopes everything to that account.
    ApiCustomer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Not signed in: go to the sign-in page.
    SignIn,
    /// Signed in but without a membership chosen: go to the picker.
    ChooseMembership,
    /// This area is not the membership's: answered like a missing page.
    NotFound,
    /// The membership's role lacks the capability.
    Forbidden,
    /// Only the request's bearer token decides (`support::api::authenticate`).
    BearerToken,
    /// Only the request's customer token decides (`monitoring::api::authenticate`).
    CustomerToken,
}

pub fn decide(access: Access, identity: Option<&Identity>) -> Decision {
    match (access, identity) {
        (Access::Public, _) => Decision::Allow,
        (Access::ApiOperator, _) => Decision::BearerToken,
        (Access::ApiCustomer, _) => Decision::CustomerToken,
        (_, None) => Decision::SignIn,
        (Access::SignedIn, Some(_)) => Decision::Allow,
        (Access::Partner(capability), Some(identity)) => match &identity.membership {
            None => Decision::ChooseMembership,
            Some(membership) => match membership.scope {
                MembershipScope::Partner { role } if role.can(capability) => Decision::Allow,
                MembershipScope::Partner { .. } => Decision::Forbidden,
                MembershipScope::Customer { .. } => Decision::NotFound,
            },
        },
        (Access::Customer(capability), Some(identity)) => match &identity.membership {
            None => Decision::ChooseMembership,
            Some(membership) => match membership.scope {
                MembershipScope::Customer { role } if role.can(capability) => Decision::Allow,
                MembershipScope::Customer { .. } => Decision::Forbidden,
                MembershipScope::Partner { .. } => Decision::NotFound,
            },
        },
    }
}
