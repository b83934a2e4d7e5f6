//! Proving a claimed domain by its DNS TXT record, against a DNS server in
//! the test process (`dns_helpers`): nothing is proven until the record is
//! published with the claim's own value; a DNS proof takes a domain back
//! from an organisation whose provider vouched for it, but never from one
//! whose own record is still published; and another organisation's claim
//! answers as missing.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{activity_log, sso_domains};
use partnerdesk::i18n::Lang;

use crate::dns_helpers::DnsServer;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

/// (id, DNS token, proven by) of `partner`'s claim of `domain`.
fn claim_of(app: &TestApp, partner: &str, domain: &str) -> (String, String, Option<String>) {
    sso_domains::table
        .filter(sso_domains::partner_id.eq(partner))
        .filter(sso_domains::domain.eq(domain))
        .select((
            sso_domains::id,
            sso_domains::dns_token,
            sso_domains::proven_by,
        ))
        .first(&mut app.conn())
        .expect("the claim")
}

fn entries(app: &TestApp, partner: &str, action: &str) -> Vec<(String, String)> {
    activity_log::table
        .filter(activity_log::partner_id.eq(partner))
        .filter(activity_log::action.eq(action))
        .select((activity_log::target, activity_log::details))
        .load(&mut app.conn())
        .expect("activity")
}

/// Publishes the TXT record that proves `domain` for the claim of `token`.
fn publish(dns: &DnsServer, domain: &str, token: &str) {
    dns.publish(
        &format!("_partnerdesk.{domain}"),
        &format!("partnerdesk-domain={token}"),
    );
}

async fn sso_page(app: &TestApp, owner: &reqwest::Client) -> String {
    let answer = owner
        .get(app.url("/partner/sso"))
        .send()
        .await
        .expect("GET");
    answer.text().await.expect("page")
}

async fn check(app: &TestApp, owner: &reqwest::Client, domain_id: &str) -> reqwest::Response {
    app.post_as(
        owner,
        &format!("/partner/sso/domains/{domain_id}/check"),
        &[],
    )
    .await
}

/// The page after a redirect, with its flash message.
async fn page_after(owner: &reqwest::Client, app: &TestApp, answer: reqwest::Response) -> String {
    assert_eq!(answer.status(), 303);
    sso_page(app, owner).await
}

#[tokio::test]
async fn a_domain_is_proven_once_its_txt_record_carries_the_claims_value() {
    let app = spawn_app().await;
    let dns = app.dns.clone();
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let claimed = app
        .post_as(
            &owner,
            "/partner/sso/domains",
            &[("domain", "contoso.example")],
        )
        .await;
    assert_eq!(claimed.status(), 303);
    let (id, token, proven_by) = claim_of(&app, &partner, "contoso.example");
    assert_eq!(proven_by, None);
    let page = sso_page(&app, &owner).await;
    assert!(
        page.contains("_partnerdesk.contoso.example"),
        "the record's name is shown"
    );
    assert!(
        page.contains(&format!("partnerdesk-domain={token}")),
        "and its value"
    );

    // Nothing published, then someone else's value: not proven.
    let page = page_after(&owner, &app, check(&app, &owner, &id).await).await;
    assert!(page.contains("The TXT record was not found"), "{page}");
    dns.publish(
        "_partnerdesk.contoso.example",
        "partnerdesk-domain=not-this-one",
    );
    check(&app, &owner, &id).await;
    assert_eq!(claim_of(&app, &partner, "contoso.example").2, None);

    publish(&dns, "contoso.example", &token);
    let page = page_after(&owner, &app, check(&app, &owner, &id).await).await;
    assert!(page.contains("Domain proven."), "{page}");
    assert_eq!(
        claim_of(&app, &partner, "contoso.example").2.as_deref(),
        Some("dns")
    );
    assert_eq!(
        entries(&app, &partner, "sso_domain_proven"),
        vec![("contoso.example".to_owned(), "dns".to_owned())]
    );
}

/// Fabrikam's provider vouched for contoso.example first (a dishonest or
/// mistaken provider can): Contoso, which controls the domain's DNS, takes it
/// back; Fabrikam's log says so.
#[tokio::test]
async fn a_dns_proof_takes_a_domain_back_from_a_providers_word_but_not_from_a_published_record() {
    let app = spawn_app().await;
    let dns = app.dns.clone();
    let (contoso, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let fabrikam = app.invite_partner_owner("Fabrikam", "olga@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "owner@fabrikam.example", PartnerRole::Owner);
    let fabrikam_claim = app.claimed_domain(&fabrikam, "contoso.example");
    diesel::update(sso_domains::table.find(&fabrikam_claim))
        .set((
            sso_domains::proven_at.eq(Some(app.clock_now())),
            sso_domains::proven_by.eq(Some("provider")),
        ))
        .execute(&mut app.conn())
        .expect("proven by Fabrikam's provider");

    let taken = app
        .post_as(
            &owner,
            "/partner/sso/domains",
            &[("domain", "contoso.example")],
        )
        .await;
    assert_eq!(
        taken.status(),
        422,
        "a domain proven elsewhere cannot be claimed"
    );
    let contoso_claim = app.claimed_domain(&contoso, "contoso.example");
    let (_, token, _) = claim_of(&app, &contoso, "contoso.example");
    publish(&dns, "contoso.example", &token);
    check(&app, &owner, &contoso_claim).await;
    assert_eq!(
        claim_of(&app, &contoso, "contoso.example").2.as_deref(),
        Some("dns")
    );
    assert_eq!(
        claim_of(&app, &fabrikam, "contoso.example").2,
        None,
        "Fabrikam lost it"
    );
    assert_eq!(entries(&app, &fabrikam, "sso_domain_lost").len(), 1);

    // Fabrikam's owner publishes its own value too, and checks: Contoso's
    // record is still there, so the domain stays Contoso's.
    let fabrikam_owner = app
        .browser_signed_in("owner@fabrikam.example", PASSWORD)
        .await;
    let (_, fabrikam_token, _) = claim_of(&app, &fabrikam, "contoso.example");
    publish(&dns, "contoso.example", &fabrikam_token);
    check(&app, &fabrikam_owner, &fabrikam_claim).await;
    assert_eq!(claim_of(&app, &fabrikam, "contoso.example").2, None);
    assert_eq!(
        claim_of(&app, &contoso, "contoso.example").2.as_deref(),
        Some("dns")
    );

    // Once Contoso's record is withdrawn (the domain changed hands), the new
    // holder of the DNS proves it.
    dns.withdraw("_partnerdesk.contoso.example");
    publish(&dns, "contoso.example", &fabrikam_token);
    check(&app, &fabrikam_owner, &fabrikam_claim).await;
    assert_eq!(
        claim_of(&app, &fabrikam, "contoso.example").2.as_deref(),
        Some("dns")
    );
    assert_eq!(claim_of(&app, &contoso, "contoso.example").2, None);
}

#[tokio::test]
async fn another_organisations_claim_answers_as_missing() {
    let app = spawn_app().await;
    let dns = app.dns.clone();
    let (_, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let fabrikam = app.invite_partner_owner("Fabrikam", "olga@fabrikam.example", Lang::En);
    let foreign = app.claimed_domain(&fabrikam, "fabrikam.example");
    let (_, token, _) = claim_of(&app, &fabrikam, "fabrikam.example");
    publish(&dns, "fabrikam.example", &token);
    for path in [
        format!("/partner/sso/domains/{foreign}/check"),
        format!("/partner/sso/domains/{foreign}/remove"),
    ] {
        let answer = app.post_as(&owner, &path, &[]).await;
        assert_eq!(answer.status(), 404, "{path}");
    }
    assert_eq!(claim_of(&app, &fabrikam, "fabrikam.example").2, None);
}
