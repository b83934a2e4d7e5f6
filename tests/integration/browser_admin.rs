//! Browser journey of the instance operator: signed in, from the navigation
//! to the catalogue, an offer added through the form (refused once, kept as
//! typed), then listed.

use std::time::Duration;

use fantoccini::Locator;

use crate::admin::ROOT;
use crate::browser::Browser;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_operator_adds_an_offer_to_the_catalogue_in_the_browser() {
    let app = spawn_app().await;
    app.instance_operator(ROOT);
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        browser.sign_in(&app.url("/login"), ROOT, PASSWORD).await?;
        wait().for_element(Locator::Id("sign-out")).await?;
        c.goto(&app.url("/admin")).await?;
        c.find(Locator::Css("a[href='/admin/catalogue']"))
            .await?
            .click()
            .await?;
        wait().for_element(Locator::Id("catalogue-empty")).await?;
        c.find(Locator::Id("add-offer")).await?.click().await?;

        // A reservation without its term is refused, the values kept.
        c.find(Locator::Id("name"))
            .await?
            .send_keys("Reserved VM, 1 year")
            .await?;
        c.find(Locator::Css("#kind option[value='reservation']"))
            .await?
            .click()
            .await?;
        c.find(Locator::Id("price")).await?.send_keys("610").await?;
        c.find(Locator::Id("add-offer-submit"))
            .await?
            .click()
            .await?;
        let message = wait()
            .for_element(Locator::Id("term_months-error"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(message.contains("12 or 36"), "{message}");
        let kept = c.find(Locator::Id("name")).await?.prop("value").await?;
        anyhow::ensure!(
            kept.as_deref() == Some("Reserved VM, 1 year"),
            "kept: {kept:?}"
        );

        c.find(Locator::Css("#term_months option[value='12']"))
            .await?
            .click()
            .await?;
        c.find(Locator::Id("add-offer-submit"))
            .await?
            .click()
            .await?;
        let listed = wait()
            .for_element(Locator::Css("#offers tr[data-active='true']"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            listed.contains("Reserved VM, 1 year") && listed.contains("€610.00"),
            "{listed}"
        );
        Ok(())
    }
    .await;
    browser.finish("operator_adds_an_offer", outcome).await;
}
