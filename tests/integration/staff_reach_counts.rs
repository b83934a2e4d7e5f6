//! The counts of a member limited to groups kept by hand are read from the
//! copies of their customers' columns that the groups' members carry
//! (migration 37): a change of a customer, written anywhere, shows in the
//! figures and list totals of the next request, and they still equal the
//! rows the list reads from the accounts.

use diesel::prelude::*;
use partnerdesk::db::schema::customer_accounts;

use crate::customers::page_of;
use crate::helpers::people::PASSWORD;
use crate::partner_home::{count_of, figures_match_lists, list_total};
use crate::staff_reach::{LIMITED, customer_named, in_group, limited_agent};

/// The names of the customers a list page shows.
fn names_listed(page: &str) -> Vec<String> {
    let row = regex::Regex::new(
        r#"<a class="contact-link" href="/partner/customers/[0-9a-f-]+/contact">([^<]+)</a>"#,
    )
    .expect("regex");
    row.captures_iter(page).map(|c| c[1].to_owned()).collect()
}

#[tokio::test]
async fn a_limited_members_counts_follow_a_change_of_a_customer_on_the_next_request() {
    let f = limited_agent().await;
    let agent = f.app.browser_signed_in(LIMITED, PASSWORD).await;
    let suspended = "/partner/customers?state=suspended";
    let incidents = "/partner/customers?health=incident";
    let figures = figures_match_lists(&f.app, LIMITED).await;
    let before = (
        count_of(&figures, "figure-state-suspended"),
        count_of(&figures, "figure-health-incident"),
        count_of(&figures, "figure-all"),
    );
    assert_eq!(list_total(&f.app, &agent, suspended).await, before.0);

    // Bellows, in the group, is suspended with an incident by a write that
    // is not the portal's (as the service health feed writes health).
    let bellows = customer_named(&f.app, &f.partner, "Bellows");
    diesel::update(customer_accounts::table.find(&bellows))
        .set((
            customer_accounts::state.eq("suspended"),
            customer_accounts::health_level.eq(2),
        ))
        .execute(&mut f.app.conn())
        .expect("suspend Bellows");

    let figures = figures_match_lists(&f.app, LIMITED).await;
    assert_eq!(count_of(&figures, "figure-state-suspended"), before.0 + 1);
    assert_eq!(count_of(&figures, "figure-health-incident"), before.1 + 1);
    assert_eq!(count_of(&figures, "figure-all"), before.2);
    // The totals equal the rows read from the accounts, for the agent and
    // for the owner's list narrowed to the group.
    for (browser, href) in [
        (&agent, suspended.to_owned()),
        (&agent, incidents.to_owned()),
        (&f.owner, in_group(suspended, &f.half)),
    ] {
        let (status, page) = page_of(browser, &f.app, &href).await;
        assert_eq!(status, 200);
        let names = names_listed(&page);
        assert!(names.iter().any(|n| n == "Bellows"), "{href}: {names:?}");
        assert_eq!(
            list_total(&f.app, browser, &href).await,
            names.len() as i64,
            "{href}: {names:?}"
        );
    }
}
