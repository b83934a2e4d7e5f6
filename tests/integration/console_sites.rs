//! The customer's sites: created and renamed with refusals explained in English
//! and French, and site administrators who run their sites and only those.

use crate::customers::error_next_to;
use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use partnerdesk::i18n::Lang;

#[tokio::test]
async fn sites_are_created_and_renamed_with_refusals_explained_in_english_and_french() {
    for (lang, required, taken) in [
        (
            Lang::En,
            "This field is required.",
            "A site already has this name.",
        ),
        (
            Lang::Fr,
            "Ce champ est obligatoire.",
            "Un site porte déjà ce nom.",
        ),
    ] {
        sites_in(lang, required, taken).await;
    }
}

/// In `lang`: a blank name and a taken one are refused next to the field, with
/// what was typed kept; another account's site is missing; a user only reads.
async fn sites_in(lang: Lang, required: &str, taken: &str) {
    let site_name = regex::Regex::new(r#"<td class="site-name">([^<]+)</td>"#).expect("regex");
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let other = app.customer(&partner, &CustomerSpec::named("Other"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    app.customer_member(&adatum, "user@adatum.example", "user");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    if lang == Lang::Fr {
        app.post_as(&admin, "/language", &[("lang", "fr"), ("next", "/")])
            .await;
    }
    let first_site = app.first_site(&adatum);
    name_refusals(&app, &admin, &first_site, [required, taken]).await;
    let renamed = app
        .post_as(
            &admin,
            &format!("/customer/sites/{first_site}/rename"),
            &[("name", "Head office")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    let (_, page) = page_of(&admin, &app, "/customer/sites").await;
    let names: Vec<String> = site_name
        .captures_iter(&page)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(names, ["Head office", "Lyon"]);
    // Another account's site is missing, as is any unknown id.
    let foreign = app
        .post_as(
            &admin,
            &format!("/customer/sites/{}/rename", app.first_site(&other)),
            &[("name", "Mine now")],
        )
        .await;
    assert_eq!(foreign.status(), 404);
    // A user sees the sites but may not change them.
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let (status, page) = page_of(&user, &app, "/customer/sites").await;
    assert_eq!(status, 200);
    assert!(page.contains("Head office") && !page.contains(r#"id="create-site""#));
}

/// A blank name and a taken one (creating, then renaming) are refused next to
/// the field, with what was typed kept.
async fn name_refusals(
    app: &TestApp,
    admin: &reqwest::Client,
    first_site: &str,
    [required, taken]: [&str; 2],
) {
    let blank = app
        .post_as(
            admin,
            "/customer/sites",
            &[("name", " "), ("time_zone", "Europe/Berlin")],
        )
        .await;
    assert_eq!(blank.status(), 200);
    let page = blank.text().await.expect("body");
    assert_eq!(error_next_to(&page, "name").as_deref(), Some(required));
    assert!(
        page.contains(r#"<option value="Europe/Berlin" selected>Berlin ("#),
        "the zone chosen stays"
    );
    let created = app
        .post_as(
            admin,
            "/customer/sites",
            &[("name", "Lyon"), ("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let duplicate = app
        .post_as(
            admin,
            "/customer/sites",
            &[("name", "LYON"), ("time_zone", "Europe/Paris")],
        )
        .await;
    let page = duplicate.text().await.expect("body");
    assert_eq!(error_next_to(&page, "name").as_deref(), Some(taken));
    assert!(page.contains(r#"value="LYON""#), "what was typed stays");
    let clash = app
        .post_as(
            admin,
            &format!("/customer/sites/{first_site}/rename"),
            &[("name", "lyon")],
        )
        .await;
    let page = clash.text().await.expect("body");
    assert_eq!(error_next_to(&page, "rename").as_deref(), Some(taken));
    assert!(page.contains(r#"value="lyon""#));
}

#[tokio::test]
async fn a_site_administrator_runs_two_sites_and_only_those() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let ann_membership = app.customer_member(&adatum, "ann@adatum.example", "user");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    for name in ["Lyon", "Nice"] {
        let created = app
            .post_as(
                &admin,
                "/customer/sites",
                &[("name", name), ("time_zone", "Europe/Paris")],
            )
            .await;
        assert_eq!(created.status(), 303);
    }
    let (_, page) = page_of(&admin, &app, "/customer/sites").await;
    let site_of = |name: &str| {
        regex::Regex::new(&format!(
            r#"<tr data-site="([^"]+)">\s*<td class="site-name">{name}</td>"#
        ))
        .expect("regex")
        .captures(&page)
        .map(|c| c[1].to_owned())
        .unwrap_or_else(|| panic!("site {name}"))
    };
    let (head_office, lyon, nice) = (site_of("Adatum"), site_of("Lyon"), site_of("Nice"));
    for site in [&lyon, &nice] {
        let added = app
            .post_as(
                &admin,
                &format!("/customer/sites/{site}/administrators"),
                &[("membership_id", &ann_membership)],
            )
            .await;
        assert_eq!(added.status(), 303);
    }
    let ann = app.browser_signed_in("ann@adatum.example", PASSWORD).await;
    ann_runs_her_two_sites_only(&app, &ann, [&head_office, &lyon, &nice], &ann_membership).await;

    let removed = app
        .post_as(
            &admin,
            &format!("/customer/sites/{nice}/administrators/{ann_membership}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.status(), 303);
    let refused = app
        .post_as(
            &ann,
            &format!("/customer/sites/{nice}/rename"),
            &[("name", "Again")],
        )
        .await;
    assert_eq!(refused.status(), 403, "no longer hers");
    let (_, page) = page_of(&admin, &app, "/customer/sites").await;
    assert!(page.contains("Lyon centre") && page.contains("Nice port"));
    let (_, activity) = page_of(&admin, &app, "/customer/activity").await;
    assert!(activity.contains("Made someone a site administrator"));
    assert!(activity.contains("Removed a site administrator"));
}

/// Ann renames the two sites she runs, and may neither rename the head office
/// nor choose who runs it.
async fn ann_runs_her_two_sites_only(
    app: &TestApp,
    ann: &reqwest::Client,
    [head_office, lyon, nice]: [&str; 3],
    ann_membership: &str,
) {
    let (_, page) = page_of(ann, app, "/customer/sites").await;
    assert_eq!(
        page.matches("/rename\"").count(),
        2,
        "rename forms for her two sites only"
    );
    for (site, name) in [(lyon, "Lyon centre"), (nice, "Nice port")] {
        let renamed = app
            .post_as(
                ann,
                &format!("/customer/sites/{site}/rename"),
                &[("name", name)],
            )
            .await;
        assert_eq!(renamed.status(), 303, "{name}");
    }
    let refused = app
        .post_as(
            ann,
            &format!("/customer/sites/{head_office}/rename"),
            &[("name", "Mine")],
        )
        .await;
    assert_eq!(refused.status(), 403, "not a site she runs");
    let assign = app
        .post_as(
            ann,
            &format!("/customer/sites/{head_office}/administrators"),
            &[("membership_id", ann_membership)],
        )
        .await;
    assert_eq!(
        assign.status(),
        403,
        "only administrators choose who runs a site"
    );
}
