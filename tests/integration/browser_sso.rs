//! The single sign-on journey in Chromium: a staff member types their address
//! on the sign-in page, signs in at the organisation's provider (oidc-provider,
//! beside the test) and lands in the partner area.

use std::time::Duration;

use fantoccini::{Client, Locator};
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

use crate::browser::Browser;
use crate::helpers::{location, spawn_app_with};
use crate::sso_helpers::{Mode, OidcProvider, claim_and_prove, connect};

async fn wait_for_path(c: &Client, path: &str) -> anyhow::Result<()> {
    for _ in 0..100 {
        if c.current_url().await?.path() == path {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("never reached {path}: at {}", c.current_url().await?)
}

#[tokio::test]
async fn staff_sign_in_through_their_provider_in_the_browser() {
    let app = spawn_app_with(|settings| settings.sso_allow_http_issuers = true).await;
    let Some(provider) = OidcProvider::start(&app).await else {
        return;
    };
    let (partner, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let saved = connect(&app, &owner, &provider, true, "").await;
    assert_eq!(location(&saved), "/partner/sso");
    claim_and_prove(
        &app,
        &owner,
        &provider,
        "contoso.example",
        "owner@contoso.example",
    )
    .await;
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    provider
        .account("sam@contoso.example", true, Mode::Normal)
        .await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        c.goto(&app.url("/login")).await?;
        c.find(Locator::Id("username"))
            .await?
            .send_keys("sam@contoso.example")
            .await?;
        c.find(Locator::Id("sign-in")).await?.click().await?;
        // The provider's own sign-in form.
        let at_provider = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("input[name=login]"))
            .await?;
        anyhow::ensure!(
            c.current_url()
                .await?
                .as_str()
                .starts_with(&provider.issuer),
            "not at the provider"
        );
        at_provider.send_keys("sam@contoso.example").await?;
        c.find(Locator::Css("input[name=password]"))
            .await?
            .send_keys("anything")
            .await?;
        c.find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        wait_for_path(c, "/partner").await?;
        let role = c.find(Locator::Id("partner-role")).await?.text().await?;
        anyhow::ensure!(role.contains("Sales"), "unexpected role line: {role}");
        Ok(())
    }
    .await;
    browser.finish("single-sign-on", outcome).await;
}
