//! Who may do what. The partner role matrix lives here, in one table; `decide` is
//! the one place where a request is let through or not, and every route declares
//! what it needs in the route table. Nothing here knows how a request was
//! authenticated: `decide` reads a [`Requester`], which the identity provides.

mod instance;
mod matrix;
mod step_up;
mod token_scope;

pub use instance::OperatorStanding;
pub use matrix::{Capability, OwnerGrants, PARTNER_MATRIX, PartnerRole};
pub use step_up::{STEP_UP, needs_step_up};
pub use token_scope::TokenScope;

/// The roles of a customer account's people; what each may do is in
/// [`CUSTOMER_MATRIX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerRole {
    Administrator,
    User,
    /// A partner user inside the customer's console through "open customer".
    /// Never stored: it exists only for the length of such a session.
    AssistingPartner,
    /// A person of a sub-account: sees only what the sub-account was
    /// granted, and does only what its permissions allow ([`SubAccountAccess`]).
    Operator,
}

/// What an operator's sub-account allows, loaded with the identity on each
/// request, so a change by the account's administrator applies at once.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::sub_accounts)]
pub struct SubAccountAccess {
    pub id: String,
    pub name: String,
    pub can_build_dashboards: bool,
    pub can_manage_monitors: bool,
    pub monitor_quota: i32,
    pub can_edit_alerts: bool,
}

impl SubAccountAccess {
    /// Whether the sub-account's permissions allow what the matrix gives the
    /// operator role "as far as the sub-account allows".
    pub fn allows(&self, capability: CustomerCapability) -> bool {
        match capability {
            CustomerCapability::ManageMonitors | CustomerCapability::ManageApiTokens => {
                self.can_manage_monitors
            }
            CustomerCapability::ManageDashboards => self.can_build_dashboards,
            CustomerCapability::ManageAlerts => self.can_edit_alerts,
            _ => true,
        }
    }
}

impl CustomerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerRole::Administrator => "administrator",
            CustomerRole::User => "user",
            CustomerRole::AssistingPartner => "assisting_partner",
            CustomerRole::Operator => "operator",
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
            CustomerRole::Operator => "role-operator",
        }
    }

    pub const ALL: [CustomerRole; 4] = [
        CustomerRole::Administrator,
        CustomerRole::User,
        CustomerRole::AssistingPartner,
        CustomerRole::Operator,
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
    /// The console's home page: the account's overview, or for an operator
    /// what the sub-account was granted.
    SeeConsoleHome,
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
    /// Invite people, change their role, disable them, resend or revoke
    /// invitations. Not the assisting partner: who holds access to the account
    /// is the customer's own decision, so an "open customer" session can never
    /// grant itself (or anyone) a membership that outlives the assistance.
    ManageUsers,
    /// Leave a session opened through "open customer".
    LeaveAssistedSession,
    /// The account's orders, subscriptions and reservations.
    SeeOrders,
    /// Give or take the Owner role on the account's subscriptions (an
    /// elevation: it is what lets a person buy). Not the assisting partner.
    ManageSubscriptionOwners,
    /// Buy reservations, while the partner allows it. Not the
    /// assisting partner: a purchase in the console is the customer's own.
    BuyReservations,
    /// The account's services and incidents.
    SeeServiceHealth,
    /// Open service requests with the partner, see the account's and write in
    /// them. An assisting partner uses the partner's own pages instead.
    ServiceRequests,
    /// The account's monitors, their results and error logs, and its
    /// dashboards.
    SeeMonitors,
    /// Create, edit and delete monitors. The assisting partner may, as it may
    /// set up sites: configuring monitoring is the help a partner gives.
    ManageMonitors,
    /// Create, rename and delete dashboards and choose their monitors.
    ManageDashboards,
    /// Create and revoke the account's API tokens (monitoring agents). Only the
    /// customer's administrators: a credential acting for the account is never
    /// minted by the partner. An operator, for the sub-account, when it may
    /// manage monitors (its agents feed them).
    ManageApiTokens,
    /// Create and edit alert definitions; an operator, when the sub-account
    /// allows it, for the sub-account's monitors.
    ManageAlerts,
    /// Create sub-accounts, grant them dashboards and monitors, set their
    /// permissions and invite their operators. Not the assisting partner:
    /// these grant access to other people.
    ManageSubAccounts,
    /// Require a second factor of the account's people, and reset a member's.
    /// Only the customer's administrators: never an assisting partner.
    ManageSecurity,
    /// Connect the account's identity provider and claim its email domains.
    /// Only the customer's administrators: never an assisting partner.
    ManageSingleSignOn,
}

/// Each customer capability with the roles that hold it.
pub const CUSTOMER_MATRIX: &[(CustomerCapability, &[CustomerRole])] = &[
    (
        CustomerCapability::SeeConsoleHome,
        &[
            CustomerRole::Administrator,
            CustomerRole::User,
            CustomerRole::AssistingPartner,
            CustomerRole::Operator,
        ],
    ),
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
        &[CustomerRole::Administrator],
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
        &[CustomerRole::Administrator],
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
            CustomerRole::Operator,
        ],
    ),
    (
        CustomerCapability::ManageMonitors,
        &[
            CustomerRole::Administrator,
            CustomerRole::AssistingPartner,
            CustomerRole::Operator,
        ],
    ),
    (
        CustomerCapability::ManageDashboards,
        &[
            CustomerRole::Administrator,
            CustomerRole::AssistingPartner,
            CustomerRole::Operator,
        ],
    ),
    (
        CustomerCapability::ManageApiTokens,
        &[CustomerRole::Administrator, CustomerRole::Operator],
    ),
    (
        CustomerCapability::ManageAlerts,
        &[
            CustomerRole::Administrator,
            CustomerRole::AssistingPartner,
            CustomerRole::Operator,
        ],
    ),
    (
        CustomerCapability::ManageSubAccounts,
        &[CustomerRole::Administrator],
    ),
    (
        CustomerCapability::ManageSecurity,
        &[CustomerRole::Administrator],
    ),
    (
        CustomerCapability::ManageSingleSignOn,
        &[CustomerRole::Administrator],
    ),
];

impl CustomerCapability {
    /// The Fluent message id describing the capability on the help page.
    pub fn label_key(self) -> &'static str {
        match self {
            CustomerCapability::SeeConsoleHome => "ccap-see-console-home",
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
            CustomerCapability::ManageAlerts => "ccap-manage-alerts",
            CustomerCapability::ManageSubAccounts => "ccap-manage-sub-accounts",
            CustomerCapability::ManageSecurity => "ccap-manage-security",
            CustomerCapability::ManageSingleSignOn => "ccap-manage-sso",
        }
    }
}

/// The role a membership gives, on the partner side or the customer side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipScope {
    Partner { role: PartnerRole },
    Customer { role: CustomerRole },
}

/// What the decision needs to know of the person asking: the membership they
/// act as, if they have chosen one, and whether they must enrol a second factor
/// before anything else.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    pub membership: Option<(MembershipScope, Option<&'a SubAccountAccess>)>,
    pub must_enrol: bool,
    /// What the partner organisation's owners extend beyond the matrix (none
    /// on the customer side).
    pub owner_grants: OwnerGrants,
    /// The chosen membership's partner organisation is suspended.
    pub tenant_suspended: bool,
    /// The login's standing as an instance operator, whatever the membership.
    pub operator: OperatorStanding,
}

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
    /// `/metrics`, for the metrics token of the settings (Prometheus); not
    /// served at all when none is set.
    MetricsToken,
    /// The partner API, for a live token of a partner organisation that holds
    /// the scope, and whose creator's role still has the capability (the one
    /// the same action's page needs).
    ApiPartner(TokenScope, Capability),
    /// The instance operator's area (`/admin`): a login that is an operator,
    /// whatever membership it acts as, if any. Anyone else signed in is
    /// answered as for a missing page.
    InstanceOperator,
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
    /// Only the request's bearer token decides (`web::operator_api::authenticate`).
    BearerToken,
    /// Only the request's customer token decides (`monitoring::api::authenticate`).
    CustomerToken,
    /// Only the request's metrics token decides (`home::metrics_refusal`).
    MetricsToken,
    /// Only the request's partner token decides (`partner_api::authenticate`),
    /// which asks `decide` again for the token's creator.
    PartnerToken(TokenScope, Capability),
    /// The membership requires a second factor the login does not have, and
    /// the grace period is over: go and enrol one.
    EnrolSecondFactor,
    /// The membership's organisation is suspended: the page saying why.
    Suspended,
}

/// What a partner token may do as its creator, whose membership's `role` the
/// token carries: the decision a page needing `capability` would give them.
/// Second factors belong to people signing in, not to tokens; what owners
/// extend (tokens, for admin agents) is done on pages, never through a token.
pub fn decide_for_token(capability: Capability, role: PartnerRole) -> Decision {
    let requester = Requester {
        membership: Some((MembershipScope::Partner { role }, None)),
        must_enrol: false,
        owner_grants: OwnerGrants::default(),
        // The token check refuses a suspended organisation's tokens itself.
        tenant_suspended: false,
        operator: OperatorStanding::NotOperator,
    };
    decide(Access::Partner(capability), Some(requester))
}

pub fn decide(access: Access, requester: Option<Requester<'_>>) -> Decision {
    match (access, requester) {
        (Access::Public, _) => Decision::Allow,
        (Access::ApiOperator, _) => Decision::BearerToken,
        (Access::ApiCustomer, _) => Decision::CustomerToken,
        (Access::MetricsToken, _) => Decision::MetricsToken,
        (Access::ApiPartner(scope, capability), _) => Decision::PartnerToken(scope, capability),
        (_, None) => Decision::SignIn,
        (Access::SignedIn, Some(_)) => Decision::Allow,
        (Access::InstanceOperator, Some(requester)) => requester.operator.decision(),
        // Only a partner membership's organisation is ever suspended.
        (Access::Partner(_), Some(requester)) if requester.tenant_suspended => Decision::Suspended,
        (Access::Partner(_) | Access::Customer(_), Some(requester))
            if requester.membership.is_some() && requester.must_enrol =>
        {
            Decision::EnrolSecondFactor
        }
        (Access::Partner(capability), Some(requester)) => match requester.membership {
            None => Decision::ChooseMembership,
            Some((scope, _)) => match scope {
                MembershipScope::Partner { role }
                    if role.can(capability) || requester.owner_grants.extends(role, capability) =>
                {
                    Decision::Allow
                }
                MembershipScope::Partner { .. } => Decision::Forbidden,
                MembershipScope::Customer { .. } => Decision::NotFound,
            },
        },
        (Access::Customer(capability), Some(requester)) => match requester.membership {
            None => Decision::ChooseMembership,
            Some((scope, sub_account)) => match scope {
                // An operator's permissions are the sub-account's to narrow.
                MembershipScope::Customer { role }
                    if role.can(capability)
                        && sub_account.is_none_or(|sub| sub.allows(capability)) =>
                {
                    Decision::Allow
                }
                MembershipScope::Customer { .. } => Decision::Forbidden,
                MembershipScope::Partner { .. } => Decision::NotFound,
            },
        },
    }
}
