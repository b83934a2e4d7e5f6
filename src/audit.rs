//! The activity log: append-only. The application only ever inserts into it; no
//! code path updates or deletes an entry.

use crate::accounts::MembershipState;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::activity_log;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignedIn,
    SignInFailed,
    Activated,
    PasswordChanged,
    PasswordReset,
    StaffInvited,
    InvitationResent,
    RoleChanged,
    MemberDisabled,
    CustomerCreated,
    CustomerRenamed,
    CustomerDissociated,
    CustomerAddedToGroup,
    CustomerRemovedFromGroup,
    GroupCreated,
    GroupRenamed,
    GroupDeleted,
    TrialConverted,
    TermChanged,
    CustomersImported,
    UsernameChanged,
    AssistanceTurnedOn,
    AssistanceTurnedOff,
    AssistanceRequested,
    SiteCreated,
    SiteRenamed,
    CustomerOpened,
    CustomerLeft,
    UserInvited,
    UserDisabled,
    InvitationRevoked,
    SiteAdministratorAdded,
    SiteAdministratorRemoved,
    OrderPlaced,
    CustomerPurchase,
    PurchasePermissionsCreated,
    PurchasePermissionsDeleted,
    SubscriptionOwnerAssigned,
    SubscriptionOwnerRemoved,
    ReservationCancelled,
    ReservationRenewed,
    ReservationExchanged,
    OpenNotificationOn,
    OpenNotificationOff,
    ServiceAdded,
    IncidentOpened,
    IncidentUpdated,
    IncidentResolved,
    RequestOpened,
    RequestStatusChanged,
    ApiTokenCreated,
    ApiTokenRevoked,
    MonitorCreated,
    MonitorChanged,
    MonitorDeleted,
    DashboardCreated,
    DashboardChanged,
    DashboardDeleted,
    SubAccountCreated,
    SubAccountChanged,
    SubAccountGrantsChanged,
    OperatorInvited,
    OperatorRemoved,
    AlertDefinitionCreated,
    AlertDefinitionChanged,
    AlertDefinitionDeleted,
    InvitationAccepted,
    InvitationDeclined,
    SecondFactorAdded,
    SecondFactorRemoved,
    SecondFactorReset,
    SecondFactorPolicyChanged,
    RecoveryCodeUsed,
    MembershipLeft,
    SsoConnectionChanged,
    SsoDomainClaimed,
    SsoDomainProven,
    SsoDomainRemoved,
    /// Another organisation proved the domain by DNS: this one no longer holds it.
    SsoDomainLost,
    /// A person created at their first sign-in through the organisation's provider.
    SsoMemberCreated,
    SignedInWithSso,
}

impl Action {
    pub const ALL: [Action; 81] = [
        Action::SignedIn,
        Action::SignInFailed,
        Action::Activated,
        Action::PasswordChanged,
        Action::PasswordReset,
        Action::StaffInvited,
        Action::InvitationResent,
        Action::RoleChanged,
        Action::MemberDisabled,
        Action::CustomerCreated,
        Action::CustomerRenamed,
        Action::CustomerDissociated,
        Action::CustomerAddedToGroup,
        Action::CustomerRemovedFromGroup,
        Action::GroupCreated,
        Action::GroupRenamed,
        Action::GroupDeleted,
        Action::TrialConverted,
        Action::TermChanged,
        Action::CustomersImported,
        Action::UsernameChanged,
        Action::AssistanceTurnedOn,
        Action::AssistanceTurnedOff,
        Action::AssistanceRequested,
        Action::SiteCreated,
        Action::SiteRenamed,
        Action::CustomerOpened,
        Action::CustomerLeft,
        Action::UserInvited,
        Action::UserDisabled,
        Action::InvitationRevoked,
        Action::SiteAdministratorAdded,
        Action::SiteAdministratorRemoved,
        Action::OrderPlaced,
        Action::CustomerPurchase,
        Action::PurchasePermissionsCreated,
        Action::PurchasePermissionsDeleted,
        Action::SubscriptionOwnerAssigned,
        Action::SubscriptionOwnerRemoved,
        Action::ReservationCancelled,
        Action::ReservationRenewed,
        Action::ReservationExchanged,
        Action::OpenNotificationOn,
        Action::OpenNotificationOff,
        Action::ServiceAdded,
        Action::IncidentOpened,
        Action::IncidentUpdated,
        Action::IncidentResolved,
        Action::RequestOpened,
        Action::RequestStatusChanged,
        Action::ApiTokenCreated,
        Action::ApiTokenRevoked,
        Action::MonitorCreated,
        Action::MonitorChanged,
        Action::MonitorDeleted,
        Action::DashboardCreated,
        Action::DashboardChanged,
        Action::DashboardDeleted,
        Action::SubAccountCreated,
        Action::SubAccountChanged,
        Action::SubAccountGrantsChanged,
        Action::OperatorInvited,
        Action::OperatorRemoved,
        Action::AlertDefinitionCreated,
        Action::AlertDefinitionChanged,
        Action::AlertDefinitionDeleted,
        Action::InvitationAccepted,
        Action::InvitationDeclined,
        Action::SecondFactorAdded,
        Action::SecondFactorRemoved,
        Action::SecondFactorReset,
        Action::SecondFactorPolicyChanged,
        Action::RecoveryCodeUsed,
        Action::MembershipLeft,
        Action::SsoConnectionChanged,
        Action::SsoDomainClaimed,
        Action::SsoDomainProven,
        Action::SsoDomainRemoved,
        Action::SsoDomainLost,
        Action::SsoMemberCreated,
        Action::SignedInWithSso,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignedIn => "signed_in",
            Action::SignInFailed => "sign_in_failed",
            Action::Activated => "activated",
            Action::PasswordChanged => "password_changed",
            Action::PasswordReset => "password_reset",
            Action::StaffInvited => "staff_invited",
            Action::InvitationResent => "invitation_resent",
            Action::RoleChanged => "role_changed",
            Action::MemberDisabled => "member_disabled",
            Action::CustomerCreated => "customer_created",
            Action::CustomerRenamed => "customer_renamed",
            Action::CustomerDissociated => "customer_dissociated",
            Action::CustomerAddedToGroup => "customer_added_to_group",
            Action::CustomerRemovedFromGroup => "customer_removed_from_group",
            Action::GroupCreated => "group_created",
            Action::GroupRenamed => "group_renamed",
            Action::GroupDeleted => "group_deleted",
            Action::TrialConverted => "trial_converted",
            Action::TermChanged => "term_changed",
            Action::CustomersImported => "customers_imported",
            Action::UsernameChanged => "username_changed",
            Action::AssistanceTurnedOn => "assistance_turned_on",
            Action::AssistanceTurnedOff => "assistance_turned_off",
            Action::AssistanceRequested => "assistance_requested",
            Action::SiteCreated => "site_created",
            Action::SiteRenamed => "site_renamed",
            Action::CustomerOpened => "customer_opened",
            Action::CustomerLeft => "customer_left",
            Action::UserInvited => "user_invited",
            Action::UserDisabled => "user_disabled",
            Action::InvitationRevoked => "invitation_revoked",
            Action::InvitationAccepted => "invitation_accepted",
            Action::InvitationDeclined => "invitation_declined",
            Action::SecondFactorAdded => "second_factor_added",
            Action::SecondFactorRemoved => "second_factor_removed",
            Action::SecondFactorReset => "second_factor_reset",
            Action::SecondFactorPolicyChanged => "second_factor_policy_changed",
            Action::RecoveryCodeUsed => "recovery_code_used",
            Action::MembershipLeft => "membership_left",
            Action::SsoConnectionChanged => "sso_connection_changed",
            Action::SsoDomainClaimed => "sso_domain_claimed",
            Action::SsoDomainProven => "sso_domain_proven",
            Action::SsoDomainRemoved => "sso_domain_removed",
            Action::SsoDomainLost => "sso_domain_lost",
            Action::SsoMemberCreated => "sso_member_created",
            Action::SignedInWithSso => "signed_in_with_sso",
            Action::SiteAdministratorAdded => "site_administrator_added",
            Action::SiteAdministratorRemoved => "site_administrator_removed",
            Action::OrderPlaced => "order_placed",
            Action::CustomerPurchase => "customer_purchase",
            Action::PurchasePermissionsCreated => "purchase_permissions_created",
            Action::PurchasePermissionsDeleted => "purchase_permissions_deleted",
            Action::SubscriptionOwnerAssigned => "subscription_owner_assigned",
            Action::SubscriptionOwnerRemoved => "subscription_owner_removed",
            Action::ReservationCancelled => "reservation_cancelled",
            Action::ReservationRenewed => "reservation_renewed",
            Action::ReservationExchanged => "reservation_exchanged",
            Action::OpenNotificationOn => "open_notification_on",
            Action::OpenNotificationOff => "open_notification_off",
            Action::ServiceAdded => "service_added",
            Action::IncidentOpened => "incident_opened",
            Action::IncidentUpdated => "incident_updated",
            Action::IncidentResolved => "incident_resolved",
            Action::RequestOpened => "service_request_opened",
            Action::RequestStatusChanged => "service_request_status_changed",
            Action::ApiTokenCreated => "api_token_created",
            Action::ApiTokenRevoked => "api_token_revoked",
            Action::MonitorCreated => "monitor_created",
            Action::MonitorChanged => "monitor_changed",
            Action::MonitorDeleted => "monitor_deleted",
            Action::DashboardCreated => "dashboard_created",
            Action::DashboardChanged => "dashboard_changed",
            Action::DashboardDeleted => "dashboard_deleted",
            Action::SubAccountCreated => "sub_account_created",
            Action::SubAccountChanged => "sub_account_changed",
            Action::SubAccountGrantsChanged => "sub_account_grants_changed",
            Action::OperatorInvited => "operator_invited",
            Action::OperatorRemoved => "operator_removed",
            Action::AlertDefinitionCreated => "alert_definition_created",
            Action::AlertDefinitionChanged => "alert_definition_changed",
            Action::AlertDefinitionDeleted => "alert_definition_deleted",
        }
    }

    pub fn parse(value: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// Entries the partner keeps to itself: how it files its customers. A
    /// customer's own log leaves them out.
    pub const PARTNER_INTERNAL: [Action; 2] = [
        Action::CustomerAddedToGroup,
        Action::CustomerRemovedFromGroup,
    ];

    pub fn label_key(self) -> String {
        format!("action-{}", self.as_str().replace('_', "-"))
    }
}

/// The real person behind an entry, and the membership they acted as.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub login_id: Option<&'a str>,
    pub name: &'a str,
    pub membership_id: Option<&'a str>,
    /// The partner a partner user acted for inside a customer's console.
    pub on_behalf_of: Option<&'a str>,
    /// The partner API token the person's change came through: the token acts
    /// in its creator's name, and the entry names both.
    pub api_token_id: Option<&'a str>,
}

pub struct Entry<'a> {
    pub partner_id: Option<&'a str>,
    /// The customer account the entry is about, so its own log can show it.
    pub customer_id: Option<&'a str>,
    pub actor: Actor<'a>,
    pub action: Action,
    pub target: &'a str,
    pub details: &'a str,
}

pub fn record(conn: &mut DbConnection, now: NaiveDateTime, entry: Entry<'_>) -> QueryResult<()> {
    diesel::insert_into(activity_log::table)
        .values((
            activity_log::id.eq(uuid::Uuid::new_v4().to_string()),
            activity_log::occurred_at.eq(now),
            activity_log::actor_login_id.eq(entry.actor.login_id),
            activity_log::actor_name.eq(entry.actor.name),
            activity_log::acting_membership_id.eq(entry.actor.membership_id),
            activity_log::on_behalf_of.eq(entry.actor.on_behalf_of),
            activity_log::api_token_id.eq(entry.actor.api_token_id),
            activity_log::partner_id.eq(entry.partner_id),
            activity_log::customer_id.eq(entry.customer_id),
            activity_log::action.eq(entry.action.as_str()),
            activity_log::target.eq(entry.target),
            activity_log::details.eq(entry.details),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records an event about a login in the log of every partner and customer account
/// it belongs to, so each organisation sees what happens to its own people.
pub fn record_for_login(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    actor: Actor<'_>,
    action: Action,
    target: &str,
) -> QueryResult<()> {
    use crate::db::schema::{customer_accounts, memberships};
    // A customer's people show in the customer's log and in its partner's.
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = memberships::table
        .left_join(customer_accounts::table)
        .filter(memberships::login_id.eq(login_id))
        // Only tenants the person belongs to: an offer not yet accepted tells
        // its inviter nothing about the login.
        .filter(memberships::state.eq(MembershipState::Active))
        .select((
            memberships::partner_id,
            memberships::customer_id,
            customer_accounts::partner_id.nullable(),
        ))
        .distinct()
        .load(conn)?;
    let tenants: Vec<(Option<String>, Option<String>)> = rows
        .into_iter()
        .map(|(partner, customer, customer_partner)| (partner.or(customer_partner), customer))
        .collect();
    let tenants = if tenants.is_empty() {
        vec![(None, None)]
    } else {
        tenants
    };
    for (partner_id, customer_id) in tenants {
        record(
            conn,
            now,
            Entry {
                partner_id: partner_id.as_deref(),
                customer_id: customer_id.as_deref(),
                actor,
                action,
                target,
                details: "",
            },
        )?;
    }
    Ok(())
}
