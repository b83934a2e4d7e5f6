//! Exports of the customer list: exactly the filtered rows in their order, streamed,
//! formulas defused, with a byte order mark and either separator.

use crate::customers::{fixture, listed_ids, page_of};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

/// The ids in a CSV export, in order, after checking its header.
fn exported_ids(csv_text: &str) -> Vec<String> {
    let mut lines = csv_text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some(partnerdesk::customers::export::HEADER.join(",").as_str())
    );
    lines
        .map(|line| line.split(',').next().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_export_holds_exactly_the_filtered_list_in_its_order() {
    let f = fixture().await;
    let app = &f.app;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for view in [
        "",
        "?q=north&sort=created",
        "?licence=trial",
        "?group=nobody",
    ] {
        let (_, list) = page_of(&owner, app, &format!("/partner/customers{view}")).await;
        let response = owner
            .get(app.url(&format!("/partner/customers.csv{view}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200);
        assert!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/csv"))
        );
        let text = response.text().await.expect("body");
        assert_eq!(exported_ids(&text), listed_ids(&list), "{view}");
        assert!(!text.contains("Secret"));
    }
}

#[tokio::test]
async fn a_large_export_streams_every_row_and_defuses_formulas() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    partnerdesk::customers::seed::generate(
        &mut app.conn(),
        app.clock_now(),
        &partnerdesk::customers::seed::SeedOptions {
            partner_id: partnerdesk::ids::PartnerId::new(ours.clone()),
            count: 2_345,
            groups: &[],
            seed: 7,
        },
    )
    .expect("seeded");
    app.customer(&ours, &CustomerSpec::named("=HYPERLINK(evil)"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let text = owner
        .get(app.url("/partner/customers.csv?sort=created"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let ids = exported_ids(&text);
    assert_eq!(ids.len(), 2_346);
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no row twice across batches");
    assert!(text.contains(",'=HYPERLINK(evil),"));
}

/// The export opens in a spreadsheet with its accents: UTF-8 with a byte-order
/// mark, comma-separated, or semicolon-separated when asked (the list offers
/// both); the filters still apply.
#[tokio::test]
async fn the_export_carries_a_byte_order_mark_and_either_separator() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    app.customer(&ours, &CustomerSpec::named("Café Lumière"));
    app.customer(&ours, &CustomerSpec::named("Northwind"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, list) = page_of(&owner, &app, "/partner/customers?q=caf").await;
    assert!(
        list.contains("/partner/customers.csv?q=caf&amp;sep=semicolon"),
        "{list}"
    );
    for (query, separator) in [("?q=caf", ','), ("?q=caf&sep=semicolon", ';')] {
        let bytes = owner
            .get(app.url(&format!("/partner/customers.csv{query}")))
            .send()
            .await
            .expect("GET")
            .bytes()
            .await
            .expect("body");
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{query}: a byte-order mark"
        );
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                partnerdesk::customers::export::HEADER
                    .join(&separator.to_string())
                    .as_str()
            )
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 1, "{query}: {rows:?}");
        assert!(
            rows[0].contains(&format!("{separator}Café Lumière{separator}")),
            "{rows:?}"
        );
    }
}
