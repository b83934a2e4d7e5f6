//! Check-then-insert paths under concurrency, on both backends: twenty requests
//! for one new name at once. One wins; every other one is answered as a second
//! request made afterwards would be (the form again, the field's error next to
//! the name), never 500; and the name exists once.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{customer_groups, logins, sites, sso_domains, sub_accounts};
use partnerdesk::i18n::Lang;

use crate::customer_create_admin::administrator_step;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

const AT_ONCE: usize = 20;

/// Posts `form` to `path` `AT_ONCE` times at once from one signed-in browser;
/// returns each answer's status and body.
async fn at_once(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    forms: Vec<Vec<(String, String)>>,
) -> Vec<(u16, String)> {
    let requests = forms.into_iter().map(|form| async move {
        let borrowed: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response = app.post_as(browser, path, &borrowed).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    });
    futures_util::future::join_all(requests).await
}

fn same_form(form: &[(&str, &str)]) -> Vec<Vec<(String, String)>> {
    let owned: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    vec![owned; AT_ONCE]
}

/// One 303; every other answer is the form with `error_id` in it.
fn one_wins(answers: &[(u16, String)], error_id: &str) {
    let won = answers.iter().filter(|(status, _)| *status == 303).count();
    assert_eq!(
        won,
        1,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    for (status, body) in answers.iter().filter(|(status, _)| *status != 303) {
        assert_eq!(*status, 200, "{body}");
        assert!(body.contains(error_id), "{body}");
    }
}

async fn signed_in_customer_admin(app: &TestApp) -> (String, reqwest::Client) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(
        &partner,
        &crate::helpers::customers::CustomerSpec::named("Adatum"),
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    let browser = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    (customer, browser)
}

#[tokio::test]
async fn one_group_name_asked_for_twenty_times_at_once_is_made_once() {
    let app = spawn_app().await;
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let answers = at_once(
        &app,
        &owner,
        "/partner/groups",
        same_form(&[("name", "Retail")]),
    )
    .await;
    one_wins(&answers, r#"id="name-error""#);
    let made: i64 = customer_groups::table
        .filter(customer_groups::partner_id.eq(&partner))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(made, 1);
}

#[tokio::test]
async fn one_site_name_asked_for_twenty_times_at_once_is_made_once() {
    let app = spawn_app().await;
    let (customer, admin) = signed_in_customer_admin(&app).await;
    let before: i64 = sites::table
        .filter(sites::customer_id.eq(&customer))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    let answers = at_once(
        &app,
        &admin,
        "/customer/sites",
        same_form(&[("name", "Lyon office"), ("time_zone", "Europe/Paris")]),
    )
    .await;
    one_wins(&answers, r#"id="name-error""#);
    let after: i64 = sites::table
        .filter(sites::customer_id.eq(&customer))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn one_sub_account_name_asked_for_twenty_times_at_once_is_made_once() {
    let app = spawn_app().await;
    let (customer, admin) = signed_in_customer_admin(&app).await;
    let answers = at_once(
        &app,
        &admin,
        "/customer/sub-accounts",
        same_form(&[("name", "Fabrikam"), ("monitor_quota", "")]),
    )
    .await;
    one_wins(&answers, r#"id="name-error""#);
    let made: i64 = sub_accounts::table
        .filter(sub_accounts::customer_id.eq(&customer))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(made, 1);
}

/// Twenty customers created at once, each naming the same new administrator:
/// every creation succeeds (the first makes the login, the others offer it
/// their account), no 500, one login.
#[tokio::test]
async fn twenty_customers_naming_one_new_administrator_at_once_all_succeed() {
    let app = spawn_app().await;
    let (_, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let forms = (0..AT_ONCE)
        .map(|n| {
            let name = format!("Fourth Coffee {n}");
            let domain = format!("fourth{n}.example");
            administrator_step("kim@fourthcoffee.example")
                .into_iter()
                .map(|(k, v)| {
                    let v = match k {
                        "name" => name.clone(),
                        "primary_domain" => domain.clone(),
                        _ => v.to_owned(),
                    };
                    (k.to_owned(), v)
                })
                .collect()
        })
        .collect();
    let answers = at_once(&app, &owner, "/partner/customers/new", forms).await;
    for (status, body) in &answers {
        assert_eq!(*status, 303, "{body}");
    }
    let logins: i64 = logins::table
        .filter(logins::username_key.eq("kim@fourthcoffee.example"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(logins, 1);
}

#[tokio::test]
async fn one_domain_claimed_twenty_times_at_once_is_claimed_once() {
    let app = spawn_app().await;
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let form = same_form(&[("domain", "contoso.example")]);
    let answers = at_once(&app, &owner, "/partner/sso/domains", form).await;
    let won = answers.iter().filter(|(status, _)| *status == 303).count();
    assert_eq!(won, 1);
    for (status, body) in answers.iter().filter(|(status, _)| *status != 303) {
        assert_eq!(*status, 422, "{body}");
        assert!(body.contains(r#"id="domain-error""#), "{body}");
    }
    let claims: i64 = sso_domains::table
        .filter(sso_domains::partner_id.eq(&partner))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(claims, 1);
}

/// Contoso and Fabrikam both publish their value for one domain and check at
/// once, ten times each: every answer is the page again (never 500), and the
/// domain has one holder.
#[tokio::test]
async fn two_organisations_proving_one_domain_at_once_leave_one_holder() {
    let app = spawn_app().await;
    let (contoso, contoso_owner) = app.contoso_owner_signed_in(Lang::En).await;
    let fabrikam = app.invite_partner_owner("Fabrikam", "olga@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "owner@fabrikam.example", PartnerRole::Owner);
    let fabrikam_owner = app
        .browser_signed_in("owner@fabrikam.example", PASSWORD)
        .await;
    let mut checks = Vec::new();
    for (partner, browser) in [(&contoso, &contoso_owner), (&fabrikam, &fabrikam_owner)] {
        let claim = app.claimed_domain(partner, "shared.example");
        let token: String = sso_domains::table
            .find(&claim)
            .select(sso_domains::dns_token)
            .first(&mut app.conn())
            .expect("token");
        app.dns.publish(
            "_partnerdesk.shared.example",
            &format!("partnerdesk-domain={token}"),
        );
        let path = format!("/partner/sso/domains/{claim}/check");
        checks.extend((0..AT_ONCE / 2).map(|_| (browser, path.clone())));
    }
    let answers = futures_util::future::join_all(
        checks
            .iter()
            .map(|(browser, path)| app.post_as(browser, path, &[])),
    )
    .await;
    for answer in answers {
        assert_eq!(answer.status(), 303);
    }
    let holders: i64 = sso_domains::table
        .filter(sso_domains::domain.eq("shared.example"))
        .filter(sso_domains::proven_at.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(holders, 1);
}
