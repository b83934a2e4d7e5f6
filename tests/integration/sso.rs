//! Single sign-on through a real OpenID Connect provider (oidc-provider, run
//! beside the test by `sso_helpers`): staff signed in by their verified
//! address, every untrustworthy answer refused (wrong audience, expired token,
//! replayed `state`, unverified address, address outside the proven domains),
//! the password form and the reset closed when the owner requires single
//! sign-on, people created at first sign-in only when the owner allows it,
//! a domain held by one organisation alone, and the secret never shown back.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{activity_log, logins, memberships, second_factors, sso_connections};
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, captured_log, client, location, spawn_app_with};
use crate::sso_helpers::{
    CLIENT_SECRET, Mode, OidcProvider, claim_and_prove, connect, email_first, provider_link,
    sign_in_as_another, sign_in_through, through_provider,
};

/// Contoso with its provider connected (single sign-on `required` or not,
/// people created at first sign-in with `new_staff_role`, empty for nobody)
/// and contoso.example proven; the owner's browser.
async fn contoso_connected(
    required: bool,
    new_staff_role: &str,
) -> Option<(TestApp, OidcProvider, String, reqwest::Client)> {
    let app = spawn_app_with(|settings| settings.sso_allow_http_issuers = true).await;
    let provider = OidcProvider::start(&app).await?;
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let saved = connect(&app, &owner, &provider, required, new_staff_role).await;
    assert_eq!(location(&saved), "/partner/sso", "the connection is saved");
    claim_and_prove(
        &app,
        &owner,
        &provider,
        "contoso.example",
        "owner@contoso.example",
    )
    .await;
    Some((app, provider, partner, owner))
}

fn actions_of(app: &TestApp, partner: &str) -> Vec<String> {
    activity_log::table
        .filter(activity_log::partner_id.eq(partner))
        .order(activity_log::occurred_at.asc())
        .select(activity_log::action)
        .load(&mut app.conn())
        .expect("activity")
}

async fn signed_in(app: &TestApp, browser: &reqwest::Client) -> bool {
    let home = browser.get(app.url("/partner")).send().await.expect("GET");
    home.status() == 200
}

#[tokio::test]
async fn staff_sign_in_through_the_organisations_provider_by_their_verified_address() {
    let Some((app, provider, partner, owner)) = contoso_connected(false, "").await else {
        return;
    };
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    provider
        .account("sam@contoso.example", true, Mode::Normal)
        .await;
    let browser = client();
    let (answer, _) = sign_in_through(&app, &browser, "Sam@Contoso.example").await;
    assert_eq!(answer.status(), 303);
    assert_eq!(
        location(&answer),
        "/partner",
        "one membership: straight home"
    );
    assert!(signed_in(&app, &browser).await);

    let actions = actions_of(&app, &partner);
    for expected in [
        "sso_connection_changed",
        "sso_domain_claimed",
        "sso_domain_proven",
        "signed_in_with_sso",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    // The secret is neither shown back nor stored as typed.
    let settings = owner
        .get(app.url("/partner/sso"))
        .send()
        .await
        .expect("GET");
    assert_eq!(settings.status(), 200);
    let page = settings.text().await.expect("page");
    assert!(page.contains(&provider.issuer) && page.contains("Proven"));
    assert!(!page.contains(CLIENT_SECRET));
    let stored: String = sso_connections::table
        .filter(sso_connections::partner_id.eq(&partner))
        .select(sso_connections::client_secret_sealed)
        .first(&mut app.conn())
        .expect("connection");
    assert!(!stored.contains(CLIENT_SECRET));
}

/// Signs `email` in after the provider was told to answer with `mode`; the
/// callback's status and page.
async fn refused_answer(app: &TestApp, typed: &str, at_provider: &str) -> (u16, String, bool) {
    let browser = client();
    let (answer, _) = sign_in_as_another(app, &browser, typed, at_provider).await;
    let status = answer.status().as_u16();
    let page = answer.text().await.expect("page");
    (status, page, signed_in(app, &browser).await)
}

#[tokio::test]
async fn untrustworthy_answers_of_the_provider_sign_nobody_in() {
    let Some((app, provider, partner, _)) = contoso_connected(false, "").await else {
        return;
    };
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let sam = "sam@contoso.example";
    let log = captured_log();
    // The ID token's own checks, each for its reason (as the log says).
    let cases = [
        (
            Mode::WrongAudience,
            true,
            "could not be trusted",
            "audience",
        ),
        (Mode::Expired, true, "could not be trusted", "expired"),
        (
            Mode::Normal,
            false,
            "did not confirm your email address",
            "",
        ),
    ];
    for (mode, verified, message, reason) in cases {
        provider.account(sam, verified, mode).await;
        let (status, page, in_) = refused_answer(&app, sam, sam).await;
        assert_eq!(status, 403, "{mode:?}, verified {verified}");
        assert!(page.contains(message), "{mode:?}: {page}");
        assert!(!in_, "{mode:?} signs nobody in");
        let logged = log();
        let ours = logged.lines().rfind(|l| l.contains(partner.as_str()));
        assert!(
            ours.is_some_and(|line| line.to_lowercase().contains(reason)),
            "{mode:?} refused for its reason: {ours:?}"
        );
    }
    // A verified address of a domain Contoso never proved, vouched for by
    // Contoso's own provider.
    provider
        .account("sam@fabrikam.example", true, Mode::Normal)
        .await;
    let (status, page, in_) = refused_answer(&app, sam, "sam@fabrikam.example").await;
    assert_eq!(status, 403);
    assert!(page.contains("not in a domain your organisation has proven"));
    assert!(!in_);
    // A verified address of the domain that belongs to nobody on the staff
    // (typed, such an address keeps the password form: it is answered at the
    // provider here).
    provider
        .account("nobody@contoso.example", true, Mode::Normal)
        .await;
    let (status, page, in_) = refused_answer(&app, sam, "nobody@contoso.example").await;
    assert_eq!(status, 403);
    assert!(page.contains("Ask an owner to invite you"));
    assert!(!in_);
    assert!(
        !actions_of(&app, &partner).contains(&"signed_in_with_sso".to_owned()),
        "nobody signed in"
    );
}

#[tokio::test]
async fn a_state_is_answered_once_and_only_in_its_browser() {
    let Some((app, provider, partner, _)) = contoso_connected(false, "").await else {
        return;
    };
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    provider
        .account("sam@contoso.example", true, Mode::Normal)
        .await;
    let browser = client();
    let (first, callback) = sign_in_through(&app, &browser, "sam@contoso.example").await;
    assert_eq!(location(&first), "/partner");
    // The same answer again, in the same browser and in another.
    for replaying in [&browser, &client()] {
        let again = replaying.get(&callback).send().await.expect("GET");
        assert_eq!(again.status(), 400);
        let page = again.text().await.expect("page");
        assert!(page.contains("expired or was already used"), "{page}");
    }
    // A callback too late: the browser took more than ten minutes.
    let late = client();
    let leaving = email_first(&app, &late, "sam@contoso.example").await;
    let authorization = provider_link(leaving).await;
    let back = through_provider(&late, &authorization, "sam@contoso.example").await;
    app.clock.advance(chrono::Duration::minutes(11));
    let answer = late.get(&back).send().await.expect("GET");
    assert_eq!(answer.status(), 400);
    assert!(!signed_in(&app, &late).await);
}

#[tokio::test]
async fn required_single_sign_on_closes_the_password_form_and_the_reset_to_its_staff() {
    let Some((app, provider, partner, owner)) = contoso_connected(false, "").await else {
        return;
    };
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let with_password = |browser: reqwest::Client| {
        let app = &app;
        async move {
            app.post_as(
                &browser,
                "/login",
                &[
                    ("username", "sam@contoso.example"),
                    ("password", PASSWORD),
                    ("method", "password"),
                ],
            )
            .await
        }
    };
    // Not required yet: the address goes to the provider, and the password
    // form still works when asked for.
    let leaving = email_first(&app, &client(), "sam@contoso.example").await;
    assert!(provider_link(leaving).await.starts_with(&provider.issuer));
    assert_eq!(location(&with_password(client()).await), "/partner");

    let saved = connect(&app, &owner, &provider, true, "").await;
    assert_eq!(location(&saved), "/partner/sso");
    let refused = with_password(client()).await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.expect("page");
    assert!(page.contains("requires you to sign in with its identity provider"));

    // No reset link either, with the same answer as for anyone.
    app.post_form("/password-reset", &[("identifier", "sam@contoso.example")])
        .await;
    assert!(app.emails_to("sam@contoso.example").await.is_empty());
    // Staff of other domains, and the provider's way in, are unaffected.
    app.active_member(&partner, "ann@elsewhere.example", PartnerRole::SalesAgent);
    let other = app
        .browser_signed_in("ann@elsewhere.example", PASSWORD)
        .await;
    assert!(signed_in(&app, &other).await);
    provider
        .account("sam@contoso.example", true, Mode::Normal)
        .await;
    let (answer, _) = sign_in_through(&app, &client(), "sam@contoso.example").await;
    assert_eq!(location(&answer), "/partner");
}

#[tokio::test]
async fn people_are_created_at_first_sign_in_only_when_the_owner_allows_it() {
    let Some((app, provider, partner, _)) = contoso_connected(false, "helpdesk_agent").await else {
        return;
    };
    provider
        .account("new@contoso.example", true, Mode::Normal)
        .await;
    let browser = client();
    let (answer, _) = sign_in_through(&app, &browser, "new@contoso.example").await;
    assert_eq!(location(&answer), "/partner");
    let role: String = memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq("new@contoso.example"))
        .filter(memberships::partner_id.eq(&partner))
        .select(memberships::role)
        .first(&mut app.conn())
        .expect("a membership");
    assert_eq!(role, "helpdesk_agent");

    // A login that exists elsewhere is not joined to Contoso by its provider.
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "both@contoso.example", PartnerRole::SalesAgent);
    provider
        .account("both@contoso.example", true, Mode::Normal)
        .await;
    // Typed as someone who goes to the provider, answered there as the other.
    let (status, page, in_) =
        refused_answer(&app, "new@contoso.example", "both@contoso.example").await;
    assert_eq!(status, 403);
    assert!(page.contains("already exists"));
    assert!(!in_);
}

/// A provider vouches only for its own organisation: someone who also belongs
/// to another is neither sent to it, nor signed in by it, nor refused a
/// password because of it, so no organisation's provider reaches another's
/// membership.
#[tokio::test]
async fn a_person_who_also_belongs_elsewhere_is_never_signed_in_by_the_provider() {
    let Some((app, provider, partner, _)) = contoso_connected(true, "").await else {
        return;
    };
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.active_member(&partner, "ann@contoso.example", PartnerRole::SalesAgent);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&fabrikam, "sam@contoso.example", PartnerRole::Owner);

    let stays = email_first(&app, &client(), "sam@contoso.example").await;
    let page = stays.text().await.expect("page");
    assert!(
        !page.contains(&provider.issuer),
        "not sent to Contoso's provider"
    );
    let browser = client();
    let with_password = app
        .post_as(
            &browser,
            "/login",
            &[
                ("username", "sam@contoso.example"),
                ("password", PASSWORD),
                ("method", "password"),
            ],
        )
        .await;
    assert_eq!(
        location(&with_password),
        "/memberships",
        "required SSO aside"
    );

    provider
        .account("sam@contoso.example", true, Mode::Normal)
        .await;
    let (status, page, in_) =
        refused_answer(&app, "ann@contoso.example", "sam@contoso.example").await;
    assert_eq!(status, 403);
    assert!(
        page.contains("also belong to another organisation"),
        "{page}"
    );
    assert!(!in_);
}

#[tokio::test]
async fn a_login_with_its_own_second_factor_is_still_asked_for_it() {
    let Some((app, provider, partner, _)) = contoso_connected(false, "").await else {
        return;
    };
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let login_id: String = logins::table
        .filter(logins::username_key.eq("sam@contoso.example"))
        .select(logins::id)
        .first(&mut app.conn())
        .expect("login");
    diesel::insert_into(second_factors::table)
        .values((
            second_factors::id.eq("factor-1"),
            second_factors::login_id.eq(&login_id),
            second_factors::kind.eq("totp"),
            second_factors::label.eq("Phone"),
            second_factors::secret.eq(Some("JBSWY3DPEHPK3PXP")),
            second_factors::created_at.eq(app.clock_now()),
        ))
        .execute(&mut app.conn())
        .expect("a factor");
    provider
        .account("sam@contoso.example", true, Mode::Normal)
        .await;
    let browser = client();
    let (answer, _) = sign_in_through(&app, &browser, "sam@contoso.example").await;
    assert_eq!(location(&answer), "/login/second-factor");
    assert!(!signed_in(&app, &browser).await, "not before the code");
}
