//! Browser journeys of identity: a passkey added with the browser's virtual
//! authenticator, then used as second factor and alone; the identity pages on a
//! phone.

use crate::browser::{Browser, SessionPost};
use crate::helpers::spawn_app;
use fantoccini::{Client, Locator};
use std::time::Duration;

/// WebDriver's virtual authenticator (Web Authentication, §11): a platform
/// authenticator inside the browser that keeps discoverable credentials and
/// verifies the user without asking.
fn add_virtual_authenticator() -> SessionPost {
    SessionPost {
        path: "webauthn/authenticator",
        body: serde_json::json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        }),
    }
}

/// Waits until the browser is at `path` (a page, after the script's redirect).
async fn wait_for_path(c: &Client, path: &str) -> anyhow::Result<()> {
    for _ in 0..100 {
        if c.current_url().await?.path() == path {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("not at {path} but at {}", c.current_url().await?)
}

#[tokio::test]
async fn a_passkey_is_added_then_used_as_second_factor_and_alone_to_sign_in() {
    use crate::helpers::people::PASSWORD;
    // Passkeys need a domain name: the browser goes to localhost.
    let app = crate::helpers::spawn_app_with_passkeys().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "sam@contoso.example",
        partnerdesk::access::PartnerRole::SalesAgent,
    );
    let Some(browser) = Browser::start().await else {
        return;
    };
    let base = app.settings.base_url.clone();
    let at = |path: &str| base.join(path).map(String::from);
    let outcome = async {
        let c = &browser.client;
        c.issue_cmd(add_virtual_authenticator()).await?;

        // Signed in with the password, the person adds a passkey.
        browser
            .sign_in(&at("/login")?, "sam@contoso.example", PASSWORD)
            .await?;
        wait_for_path(c, "/partner").await?;
        c.goto(&at("/account/security")?).await?;
        let label = c.find(Locator::Id("passkey-label")).await?;
        label.clear().await?;
        label.send_keys("Laptop").await?;
        c.find(Locator::Id("add-passkey")).await?.click().await?;
        // The first factor comes with its recovery codes.
        let codes = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("recovery-codes"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(codes.lines().count() == 10, "ten codes: {codes}");
        c.goto(&at("/account/security")?).await?;
        let factors = c.find(Locator::Id("factors")).await?.text().await?;
        anyhow::ensure!(
            factors.contains("Laptop") && factors.contains("Passkey"),
            "the passkey is listed: {factors}"
        );
        browser.sign_out().await?;

        // The password, then the passkey instead of a code.
        browser
            .sign_in(&at("/login")?, "sam@contoso.example", PASSWORD)
            .await?;
        wait_for_path(c, "/login/second-factor").await?;
        c.find(Locator::Id("use-passkey")).await?.click().await?;
        wait_for_path(c, "/partner").await?;
        browser.sign_out().await?;

        // The passkey alone: no username, no password.
        c.goto(&at("/login")?).await?;
        c.find(Locator::Id("sign-in-passkey"))
            .await?
            .click()
            .await?;
        wait_for_path(c, "/partner").await?;
        let role = c.find(Locator::Id("partner-role")).await?.text().await?;
        anyhow::ensure!(role.contains("Sales"), "unexpected role line: {role}");
        Ok(())
    }
    .await;
    browser.finish("passkeys", outcome).await;
}

#[tokio::test]
async fn the_identity_pages_hold_on_a_phone() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "owner@contoso.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    // An offer to an existing login, for its page.
    let fabrikam = app.invite_partner_owner(
        "Fabrikam",
        "fay@fabrikam.example",
        partnerdesk::i18n::Lang::En,
    );
    app.invitation(
        crate::helpers::customers::Target::Partner(&fabrikam),
        "owner@contoso.example",
        "sales_agent",
    );
    let email = app.mail.wait_for_to("owner@contoso.example", 1).await;
    let offer = email[0]
        .links()
        .into_iter()
        .find(|l| l.contains("/invitations/"))
        .expect("an invitation link");
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        c.set_window_size(390, 844).await?;
        browser
            .sign_in(
                &app.url("/login"),
                "owner@contoso.example",
                crate::helpers::people::PASSWORD,
            )
            .await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Id("sign-out"))
            .await?;
        for path in [
            "/account",
            "/account/security",
            "/account/security/totp",
            "/partner/security",
            "/partner/staff",
            offer.trim_start_matches(&app.address),
        ] {
            c.goto(&app.url(path)).await?;
            // The page's own content; the site header's phone layout is issue 17's.
            let measured = c
                .execute(
                    "let widest = ''; let right = 0; \
                     for (const e of document.querySelectorAll('main *')) { \
                       if (e.closest('.table-scroll')) continue; \
                       const r = e.getBoundingClientRect().right; \
                       if (r > right) { right = r; widest = e.tagName + '#' + e.id; } } \
                     return [right, window.innerWidth, widest];",
                    vec![],
                )
                .await?;
            let right = measured[0].as_f64().unwrap_or(f64::MAX);
            let inner = measured[1].as_f64().unwrap_or(0.0);
            anyhow::ensure!(
                right <= inner,
                "{path} is wider than 390 px: {right} > {inner} ({})",
                measured[2]
            );
        }
        Ok(())
    }
    .await;
    browser.finish("identity_pages_on_a_phone", outcome).await;
}
