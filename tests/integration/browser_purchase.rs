//! Browser journey of a purchase: an admin agent lets the customer buy, the
//! customer buys a reservation through its review, the partner sees it.

use crate::browser::Browser;
use crate::helpers::spawn_app;
use fantoccini::{Client, Locator};
use std::time::Duration;

#[tokio::test]
async fn an_admin_agent_lets_a_customer_buy_and_the_partner_sees_the_purchase() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    use partnerdesk::access::PartnerRole;
    use partnerdesk::commerce::PlacedBy;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(&partner, "agent@contoso.example", PartnerRole::AdminAgent);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let admin = app.customer_administrator(&customer, "admin@adatum.example");
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let reserved = app.offer("Reserved VM, 1 year", "reservation", "610", Some(12));
    let plan = app.ordered(&partner, &customer, &usage, None, PlacedBy::Partner);
    app.subscription_owner(&plan, &admin);
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        let login_url = app.url("/login");
        let login_url = login_url.as_str();
        let sign_in = |username: &'static str| browser.sign_in(login_url, username, PASSWORD);
        let sign_out = || browser.sign_out();

        // The admin agent turns the permission on, at the bottom of the account.
        sign_in("agent@contoso.example").await?;
        wait().for_element(Locator::Id("partner-role")).await?;
        c.goto(&app.url(&format!("/partner/customers/{customer}")))
            .await?;
        c.find(Locator::Id("permission-on")).await?.click().await?;
        // Asked first, with what it means; then confirmed.
        let review = wait()
            .for_element(Locator::Id("confirm-summary"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(review.contains("billed to Contoso"), "{review}");
        c.find(Locator::Id("confirm")).await?.click().await?;
        wait()
            .for_element(Locator::Css("#permission-state[data-on='true']"))
            .await?;
        sign_out().await?;

        // The customer's administrator buys a reservation in the console.
        sign_in("admin@adatum.example").await?;
        wait().for_element(Locator::Id("account-name")).await?;
        buy_two_with_a_review(c, &app, &reserved).await?;
        sign_out().await?;

        // The partner sees it in the order history and in the activity log.
        sign_in("owner@contoso.example").await?;
        wait().for_element(Locator::Id("partner-role")).await?;
        the_purchase_is_in_the_history_and_the_log(c, &app, &customer).await?;
        Ok(())
    }
    .await;
    browser.finish("customer_buys_a_reservation", outcome).await;
}

/// The customer's administrator buys two reserved VMs in the console: reviewed
/// (total, billed to the partner, on a phone too), Back keeps the form, then
/// confirmed and marked as bought by the customer.
async fn buy_two_with_a_review(
    c: &Client,
    app: &crate::helpers::TestApp,
    reserved: &str,
) -> anyhow::Result<()> {
    let wait = || c.wait().at_most(Duration::from_secs(5));
    c.goto(&app.url("/customer/reservations")).await?;
    c.find(Locator::Css(&format!(
        "#offer_id option[value='{reserved}']"
    )))
    .await?
    .click()
    .await?;
    let quantity = c.find(Locator::Id("quantity")).await?;
    quantity.clear().await?;
    quantity.send_keys("2").await?;
    c.find(Locator::Id("buy-reservation-button"))
        .await?
        .click()
        .await?;
    // The review: 2 × €610.00, billed to the partner. Back keeps the form.
    let total = wait()
        .for_element(Locator::Id("fact-total"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(total == "€1,220.00", "the total: {total}");
    let billed = c.find(Locator::Id("fact-billed-to")).await?.text().await?;
    anyhow::ensure!(billed == "Contoso", "billed to: {billed}");
    the_page_holds_on_a_phone(c).await?;
    c.find(Locator::Id("confirm-back")).await?.click().await?;
    let kept = wait()
        .for_element(Locator::Id("quantity"))
        .await?
        .prop("value")
        .await?;
    anyhow::ensure!(kept.as_deref() == Some("2"), "the quantity kept: {kept:?}");
    c.find(Locator::Id("buy-reservation-button"))
        .await?
        .click()
        .await?;
    wait()
        .for_element(Locator::Id("confirm"))
        .await?
        .click()
        .await?;
    let mine = wait()
        .for_element(Locator::Css("#reservations tr[data-by-customer='true']"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        mine.contains("Bought by you"),
        "marked as the customer's: {mine}"
    );
    Ok(())
}

/// The page holds on a phone: nothing in the main area is wider than 390 px.
async fn the_page_holds_on_a_phone(c: &Client) -> anyhow::Result<()> {
    c.set_window_size(390, 844).await?;
    let measured = c
        .execute(
            "let right = 0; for (const e of document.querySelectorAll('main *'))                  { right = Math.max(right, e.getBoundingClientRect().right); }                  return [right, window.innerWidth];",
            vec![],
        )
        .await?;
    let (right, inner) = (measured[0].as_f64(), measured[1].as_f64());
    anyhow::ensure!(
        right <= inner,
        "the review is wider than 390 px: {right:?} > {inner:?}"
    );
    c.set_window_size(1280, 900).await?;
    Ok(())
}

/// The partner sees the customer's purchase in the order history, billed to
/// it, and both changes in the activity log.
async fn the_purchase_is_in_the_history_and_the_log(
    c: &Client,
    app: &crate::helpers::TestApp,
    customer: &str,
) -> anyhow::Result<()> {
    let wait = || c.wait().at_most(Duration::from_secs(5));
    c.goto(&app.url(&format!("/partner/customers/{customer}")))
        .await?;
    c.find(Locator::Id("orders-link")).await?.click().await?;
    let order = wait()
        .for_element(Locator::Css("#order-history tr[data-by-customer='true']"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        order.contains("Reserved VM, 1 year")
            && order.contains("Bought by the customer")
            && order.contains("Contoso"),
        "the customer's purchase, billed to the partner: {order}"
    );
    c.goto(&app.url("/partner/activity")).await?;
    let log = wait()
        .for_element(Locator::Css("table.activity"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        log.contains("Customer bought a reservation")
            && log.contains("Person admin@adatum.example")
            && log.contains("Create customer purchase permissions")
            && log.contains("Person agent@contoso.example"),
        "both in the log: {log}"
    );
    Ok(())
}
