//! Writing a new customer: the account, its first site and the invitation of
//! its administrator, in the caller's transaction.

use crate::accounts::{self, MembershipOf};
use crate::ids::{CustomerId, PartnerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ADMINISTRATOR_ROLE;
use super::wizard::NewCustomer;
use crate::audit::{Action, Actor};
use crate::config::Settings;
use crate::customers::{CustomerError, CustomerState, assistance_by_default, regions, search_text};
use crate::db::DbConnection;
use crate::db::schema::{customer_accounts, site_administrators, sites};

/// Writes the account (Creating), its first site, and the invitation of its
/// administrator (an offer: see `invitations`). Call inside a write
/// transaction. Returns the new account's id.
pub fn create(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    new: &NewCustomer,
    actor: Actor<'_>,
) -> Result<String, CustomerError> {
    let admin = &new.administrator.login;
    let customer_id = CustomerId::new(insert_account(conn, settings, now, partner_id, new)?);
    let site_id = insert_first_site(conn, now, &customer_id, new)?;
    let administrator = crate::invitations::offer(
        conn,
        settings,
        now,
        &crate::invitations::Offer {
            person: admin,
            target: crate::invitations::Target::Customer(customer_id.as_str()),
            role: ADMINISTRATOR_ROLE,
            inviter: actor.login_id,
        },
    )?;
    // The administrator named here administers the first site.
    diesel::insert_into(site_administrators::table)
        .values((
            site_administrators::site_id.eq(&site_id),
            site_administrators::membership_id.eq(&administrator),
            site_administrators::created_at.eq(now),
        ))
        .execute(conn)?;
    // Made by a member limited to some groups: it joins them, so that its
    // creator still reaches it.
    if let Some(membership_id) = actor.membership_id {
        crate::reach::join_creator_groups(conn, now, membership_id, &customer_id)?;
    }
    crate::customers::record_on_account(
        conn,
        now,
        (&customer_id, Some(partner_id)),
        actor,
        Action::CustomerCreated,
        new.account.name.as_str(),
        admin.username.as_str(),
    )?;
    crate::webhooks::emit(
        conn,
        now,
        partner_id,
        &crate::webhooks::Event::customer(
            crate::webhooks::EventType::CustomerCreated,
            customer_id.as_str(),
            new.account.name.as_str(),
        ),
    )?;
    Ok(customer_id.into_string())
}

/// The account's row, waiting for its administrator (Creating); returns its id.
fn insert_account(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    new: &NewCustomer,
) -> QueryResult<String> {
    let account = &new.account;
    let admin = &new.administrator.login;
    let customer_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(customer_accounts::table)
        .values((
            customer_accounts::id.eq(&customer_id),
            customer_accounts::partner_id.eq(partner_id),
            customer_accounts::name.eq(account.name.as_str()),
            customer_accounts::name_key.eq(account.name.as_str().to_lowercase()),
            customer_accounts::primary_domain.eq(account.domain.as_str()),
            customer_accounts::search_text
                .eq(search_text(account.name.as_str(), account.domain.as_str())),
            customer_accounts::country.eq(account.country.code),
            customer_accounts::data_region.eq(regions::data_region(settings, account.country)),
            customer_accounts::time_zone.eq(account.time_zone.name()),
            customer_accounts::reference_number.eq(&account.reference_number),
            customer_accounts::subscription_term.eq(account.term.as_str()),
            customer_accounts::term_started_on.eq(now.date()),
            customer_accounts::address_line1.eq(&new.address.line1),
            customer_accounts::address_line2.eq(&new.address.line2),
            customer_accounts::postal_code.eq(&new.address.postal_code),
            customer_accounts::city.eq(&new.address.city),
            customer_accounts::region.eq(&new.address.region),
            customer_accounts::contact_name.eq(admin.full_name.as_str()),
            customer_accounts::contact_email.eq(admin.email.as_str()),
            customer_accounts::contact_phone.eq(&new.address.phone),
            customer_accounts::state.eq(CustomerState::Creating.as_str()),
            customer_accounts::billing_type.eq(account.billing.as_str()),
            customer_accounts::trial_ends_on.eq(account.trial_ends_on),
            customer_accounts::managed_order.eq(account.managed_order),
            customer_accounts::health_level.eq(0),
            customer_accounts::partner_assistance.eq(assistance_by_default(
                account.billing,
                account.managed_order,
            )),
            customer_accounts::created_at.eq(now),
            customer_accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(customer_id)
}

/// The account's first site, named after it; returns the site's id.
fn insert_first_site(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &CustomerId,
    new: &NewCustomer,
) -> QueryResult<String> {
    let account = &new.account;
    let site_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(sites::table)
        .values((
            sites::id.eq(&site_id),
            sites::customer_id.eq(customer_id),
            sites::name.eq(account.name.as_str()),
            sites::time_zone.eq(account.time_zone.name()),
            sites::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(site_id)
}

pub fn add_customer_member(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &CustomerId,
    login_id: &str,
    role: &str,
) -> QueryResult<String> {
    let of = MembershipOf::Customer(customer_id);
    accounts::insert_active_membership(conn, now, login_id, of, role)
}
