//! The activity log: append-only. The application only ever inserts into it; no
//! code path updates or deletes an entry.

use crate::accounts::MembershipState;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::activity_log;

crate::db::codes::stored_code! {
    /// What an entry of the activity log records, stored as its code; `ALL`
    /// lists them in the order the log's filter offers them.
    Action {
        SignedIn => "signed_in",
        SignInFailed => "sign_in_failed",
        Activated => "activated",
        PasswordChanged => "password_changed",
        PasswordReset => "password_reset",
        StaffInvited => "staff_invited",
        InvitationResent => "invitation_resent",
        RoleChanged => "role_changed",
        MemberDisabled => "member_disabled",
        StaffReachChanged => "staff_reach_changed",
        CustomerCreated => "customer_created",
        CustomerRenamed => "customer_renamed",
        CustomerDissociated => "customer_dissociated",
        CustomerAddedToGroup => "customer_added_to_group",
        CustomerRemovedFromGroup => "customer_removed_from_group",
        GroupCreated => "group_created",
        GroupRenamed => "group_renamed",
        GroupDeleted => "group_deleted",
        /// The conditions of a rule-based group changed.
        GroupRuleChanged => "group_rule_changed",
        TrialConverted => "trial_converted",
        TermChanged => "term_changed",
        CustomersImported => "customers_imported",
        UsernameChanged => "username_changed",
        AssistanceTurnedOn => "assistance_turned_on",
        AssistanceTurnedOff => "assistance_turned_off",
        AssistanceRequested => "assistance_requested",
        SiteCreated => "site_created",
        SiteRenamed => "site_renamed",
        CustomerOpened => "customer_opened",
        CustomerLeft => "customer_left",
        UserInvited => "user_invited",
        UserDisabled => "user_disabled",
        InvitationRevoked => "invitation_revoked",
        SiteAdministratorAdded => "site_administrator_added",
        SiteAdministratorRemoved => "site_administrator_removed",
        OrderPlaced => "order_placed",
        CustomerPurchase => "customer_purchase",
        PurchasePermissionsCreated => "purchase_permissions_created",
        PurchasePermissionsDeleted => "purchase_permissions_deleted",
        SubscriptionOwnerAssigned => "subscription_owner_assigned",
        SubscriptionOwnerRemoved => "subscription_owner_removed",
        ReservationCancelled => "reservation_cancelled",
        ReservationRenewed => "reservation_renewed",
        ReservationExchanged => "reservation_exchanged",
        OpenNotificationOn => "open_notification_on",
        OpenNotificationOff => "open_notification_off",
        ServiceAdded => "service_added",
        IncidentOpened => "incident_opened",
        IncidentUpdated => "incident_updated",
        IncidentResolved => "incident_resolved",
        RequestOpened => "service_request_opened",
        RequestStatusChanged => "service_request_status_changed",
        ApiTokenCreated => "api_token_created",
        ApiTokenRevoked => "api_token_revoked",
        ApiTokensAllowedForAdminAgents => "api_tokens_allowed_for_admin_agents",
        ApiTokensDisallowedForAdminAgents => "api_tokens_disallowed_for_admin_agents",
        MonitorEventsShared => "monitor_events_shared",
        MonitorEventsUnshared => "monitor_events_unshared",
        MonitorCreated => "monitor_created",
        MonitorChanged => "monitor_changed",
        MonitorDeleted => "monitor_deleted",
        DashboardCreated => "dashboard_created",
        DashboardChanged => "dashboard_changed",
        DashboardDeleted => "dashboard_deleted",
        SubAccountCreated => "sub_account_created",
        SubAccountChanged => "sub_account_changed",
        SubAccountGrantsChanged => "sub_account_grants_changed",
        OperatorInvited => "operator_invited",
        OperatorRemoved => "operator_removed",
        AlertDefinitionCreated => "alert_definition_created",
        AlertDefinitionChanged => "alert_definition_changed",
        AlertDefinitionDeleted => "alert_definition_deleted",
        InvitationAccepted => "invitation_accepted",
        InvitationDeclined => "invitation_declined",
        SecondFactorAdded => "second_factor_added",
        SecondFactorRemoved => "second_factor_removed",
        SecondFactorReset => "second_factor_reset",
        SecondFactorPolicyChanged => "second_factor_policy_changed",
        RecoveryCodeUsed => "recovery_code_used",
        MembershipLeft => "membership_left",
        SsoConnectionChanged => "sso_connection_changed",
        SsoDomainClaimed => "sso_domain_claimed",
        SsoDomainProven => "sso_domain_proven",
        SsoDomainRemoved => "sso_domain_removed",
        /// Another organisation proved the domain by DNS: this one no longer holds it.
        SsoDomainLost => "sso_domain_lost",
        /// A person created at their first sign-in through the organisation's provider.
        SsoMemberCreated => "sso_member_created",
        SignedInWithSso => "signed_in_with_sso",
        WebhookCreated => "webhook_created",
        WebhookSecretRotated => "webhook_secret_rotated",
        WebhookEnabled => "webhook_enabled",
        WebhookDisabled => "webhook_disabled",
        /// Disabled by Partnerdesk after failing for `webhook_disable_after`.
        WebhookDisabledForFailures => "webhook_disabled_for_failures",
        WebhookDeleted => "webhook_deleted",
        WebhookRedelivered => "webhook_redelivered",
        /// The instance operator suspended the organisation (the reason in the details).
        PartnerSuspended => "partner_suspended",
        PartnerReinstated => "partner_reinstated",
        /// The instance operator moved the organisation, or one of its
        /// resellers, in the partner tree ("old parent → new parent").
        PartnerMoved => "partner_moved",
        /// The organisation's owner created a reseller under it.
        ResellerCreated => "reseller_created",
        /// The reseller's owner let its distributor help in its portal.
        DistributorAssistanceOn => "distributor_assistance_on",
        DistributorAssistanceOff => "distributor_assistance_off",
        /// A distributor's person entered the reseller's portal (the reason
        /// in the details), in both organisations' logs.
        ResellerAssistStarted => "reseller_assist_started",
        ResellerAssistLeft => "reseller_assist_left",
    }
}

impl Action {
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
