//! Browser journeys around customers: opening one and acting under the banner,
//! letting it buy, following trials from the home page, handing a dashboard to an
//! operator.

use crate::browser::Browser;
use crate::helpers::{spawn_app, spawn_app_frozen};
use fantoccini::{Client, Locator};
use std::time::Duration;

#[tokio::test]
async fn a_partner_opens_a_customer_acts_under_the_banner_and_the_customer_sees_it() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "helpdesk@contoso.example",
        partnerdesk::access::PartnerRole::HelpdeskAgent,
    );
    let customer = app.customer(
        &partner,
        &CustomerSpec {
            billing: partnerdesk::customers::BillingType::TermSubscription,
            ..CustomerSpec::named("Adatum")
        },
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        let login_url = app.url("/login");
        let login_url = login_url.as_str();
        let sign_in = |username: &'static str| browser.sign_in(login_url, username, PASSWORD);

        // The customer's administrator turns partner assistance on.
        sign_in("admin@adatum.example").await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/assistance")).await?;
        c.find(Locator::Id("assistance-toggle"))
            .await?
            .click()
            .await?;
        wait()
            .for_element(Locator::Css("#assistance-state[data-enabled='true']"))
            .await?;
        c.find(Locator::Id("sign-out")).await?.click().await?;
        wait().for_element(Locator::Id("sign-in-link")).await?;

        // The partner opens the customer, works under the banner and leaves.
        sign_in("helpdesk@contoso.example").await?;
        wait().for_element(Locator::Id("partner-role")).await?;
        open_create_a_site_and_leave(c, &app, &customer).await?;
        c.find(Locator::Id("sign-out")).await?.click().await?;
        wait().for_element(Locator::Id("sign-in-link")).await?;

        // The customer sees the partner's action, under the real name.
        sign_in("admin@adatum.example").await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/activity")).await?;
        let log = wait()
            .for_element(Locator::Id("customer-activity"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            log.contains("Created a site")
                && log.contains("Lyon office")
                && log.contains("Person helpdesk@contoso.example")
                && log.contains("on behalf of Contoso"),
            "the action is in the customer's log: {log}"
        );
        Ok(())
    }
    .await;
    browser.finish("partner_opens_a_customer", outcome).await;
}

/// Opens the customer with a reason, creates a site under the banner, and
/// leaves.
async fn open_create_a_site_and_leave(
    c: &Client,
    app: &crate::helpers::TestApp,
    customer: &str,
) -> anyhow::Result<()> {
    let wait = || c.wait().at_most(Duration::from_secs(5));
    c.goto(&app.url(&format!("/partner/customers/{customer}")))
        .await?;
    c.find(Locator::Id("open-customer-link"))
        .await?
        .click()
        .await?;
    wait()
        .for_element(Locator::Id("reason"))
        .await?
        .send_keys("Ticket 42: new office")
        .await?;
    c.find(Locator::Id("open-customer")).await?.click().await?;
    let banner = wait()
        .for_element(Locator::Id("assisted-banner"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        banner.contains("Adatum on behalf of Contoso"),
        "the banner names the account and the partner: {banner}"
    );
    c.goto(&app.url("/customer/sites")).await?;
    c.find(Locator::Id("name"))
        .await?
        .send_keys("Lyon office")
        .await?;
    c.find(Locator::Id("create-site")).await?.click().await?;
    wait()
        .for_element(Locator::XPath(
            "//td[@class='site-name' and text()='Lyon office']",
        ))
        .await?;
    c.find(Locator::Id("leave-customer")).await?.click().await?;
    wait().for_element(Locator::Id("customer-name")).await?;
    anyhow::ensure!(
        c.find_all(Locator::Id("assisted-banner")).await?.is_empty(),
        "no banner once left"
    );
    Ok(())
}

#[tokio::test]
async fn a_partner_follows_trials_ending_soon_from_the_home_page_to_the_same_number() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_accounts;
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "sales@contoso.example",
        partnerdesk::access::PartnerRole::SalesAgent,
    );
    for (name, days) in [("Adatum", 2), ("Bellows", 9), ("Coho", 40)] {
        let id = app.customer(
            &partner,
            &CustomerSpec {
                billing: partnerdesk::customers::BillingType::Trial,
                ..CustomerSpec::named(name)
            },
        );
        diesel::update(customer_accounts::table.find(&id))
            .set(
                customer_accounts::trial_ends_on
                    .eq(app.clock_now().date() + chrono::Duration::days(days)),
            )
            .execute(&mut app.conn())
            .expect("trial end");
    }
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        c.goto(&app.url("/login")).await?;
        c.find(Locator::Id("username"))
            .await?
            .send_keys("sales@contoso.example")
            .await?;
        c.find(Locator::Id("password"))
            .await?
            .send_keys(PASSWORD)
            .await?;
        c.find(Locator::Id("sign-in")).await?.click().await?;
        let figure = wait()
            .for_element(Locator::Id("figure-trials-ending"))
            .await?;
        let count = figure.attr("data-count").await?.unwrap_or_default();
        anyhow::ensure!(count == "2", "two trials end within 14 days: {count}");
        figure.click().await?;
        let listed = wait()
            .for_element(Locator::Id("customer-count"))
            .await?
            .attr("data-total")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(listed == count, "the list shows the same number: {listed}");
        let rows = c.find_all(Locator::Css("table.customers tbody tr")).await?;
        anyhow::ensure!(rows.len() == 2, "two rows: {}", rows.len());
        c.find(Locator::Id("trial-ends-filter")).await?;
        Ok(())
    }
    .await;
    browser.finish("home_trials_ending", outcome).await;
}

#[tokio::test]
async fn an_administrator_hands_a_dashboard_to_an_operator_who_sees_exactly_it() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    let shop = app.monitor(&customer, "Shop");
    let checkout = app.monitor(&customer, "Checkout API");
    let sla = app.dashboard(&customer, "Shop SLA", &[&shop]);
    app.dashboard(&customer, "Internal", &[&checkout]);
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        let fill = |id: &'static str, text: &'static str| async move {
            c.find(Locator::Id(id)).await?.send_keys(text).await?;
            anyhow::Ok(())
        };
        let login_url = app.url("/login");
        let login_url = login_url.as_str();
        let sign_in = |username, password| browser.sign_in(login_url, username, password);

        // The administrator creates the sub-account, grants one dashboard and
        // invites an operator.
        sign_in("admin@adatum.example", PASSWORD).await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/sub-accounts")).await?;
        fill("name", "Fabrikam").await?;
        c.find(Locator::Id("create-sub-account"))
            .await?
            .click()
            .await?;
        wait().for_element(Locator::Id("grants-form")).await?;
        c.find(Locator::Id(&format!("grant-dashboard-{sla}")))
            .await?
            .click()
            .await?;
        c.find(Locator::Id("save-grants")).await?.click().await?;
        wait()
            .for_element(Locator::Css(&format!("#grant-dashboard-{sla}[checked]")))
            .await?;
        fill("full_name", "Fay Client").await?;
        fill("email", "fay@fabrikam.example").await?;
        c.find(Locator::Id("send-operator-invitation"))
            .await?
            .click()
            .await?;
        wait().for_element(Locator::Css("#operators tr")).await?;
        browser.sign_out().await?;

        // The operator activates from the email and signs in.
        let email = app.mail.wait_for_to("fay@fabrikam.example", 1).await;
        let link = email
            .first()
            .and_then(|e| e.links().into_iter().find(|l| l.contains("/activate/")))
            .ok_or_else(|| anyhow::anyhow!("no activation email"))?;
        c.goto(&link).await?;
        fill("password", "a long enough passphrase").await?;
        fill("password_confirmation", "a long enough passphrase").await?;
        c.find(Locator::Id("activate")).await?.click().await?;
        wait().for_element(Locator::Id("username")).await?;
        sign_in("fay@fabrikam.example", "a long enough passphrase").await?;

        exactly_the_granted_dashboard(c, &sla).await?;
        Ok(())
    }
    .await;
    browser
        .finish("operator_sees_granted_dashboard", outcome)
        .await;
}

/// The operator's home offers exactly the granted dashboard, which shows its
/// chart, and none of the account's own pages.
async fn exactly_the_granted_dashboard(c: &Client, sla: &str) -> anyhow::Result<()> {
    let wait = || c.wait().at_most(Duration::from_secs(5));
    let heading = wait()
        .for_element(Locator::Id("sub-account-name"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(heading == "Fabrikam", "the operator's home: {heading}");
    let boards = c
        .find_all(Locator::Css("#dashboard-rollup li[data-dashboard]"))
        .await?;
    anyhow::ensure!(boards.len() == 1, "one dashboard, not {}", boards.len());
    let nav = c.find(Locator::Css("nav")).await?.text().await?;
    anyhow::ensure!(
        !nav.contains("Users") && !nav.contains("Sites"),
        "none of the account's own pages: {nav}"
    );
    c.find(Locator::Css("#dashboard-rollup li a"))
        .await?
        .click()
        .await?;
    wait()
        .for_element(Locator::Css("svg#availability-chart"))
        .await?;
    let page = c.source().await?;
    anyhow::ensure!(
        page.contains("id=\"availability-chart-title\">Availability"),
        "the chart has its title"
    );
    anyhow::ensure!(
        page.contains("Shop SLA") && page.contains("Shop") && !page.contains("Checkout API"),
        "the granted dashboard only"
    );
    anyhow::ensure!(
        c.current_url().await?.path() == format!("/customer/dashboards/{sla}"),
        "on the granted dashboard"
    );
    Ok(())
}
