//! The header between the phone and the wide screen (the sweep looks at 390,
//! 768 and 1366 px only). From 900 px the sections are in the bar; below
//! 1280 px it holds two rows on purpose (the name and the tools, then the
//! sections), from 1280 px one; at no width does a row wrap or the page
//! scroll sideways, in either language, with long names (which are cut short
//! and given whole in a tooltip).

use std::time::Duration;

use fantoccini::Locator;
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

use crate::browser::Browser;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;

const TWO_ROWS: [i64; 4] = [900, 1024, 1180, 1279];
const ONE_ROW: [i64; 3] = [1280, 1366, 1920];

/// Where the header's parts sit: the spread of the middles of the name and
/// the tools (the top row), of the sections, and of all of them; whether the
/// sections sit below the top row; and whether the page scrolls sideways.
const ROWS: &str = "
  const middles = sel => [...document.querySelectorAll(sel)]
    .filter(e => e.offsetParent !== null)
    .map(e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; });
  const spread = m => m.length ? Math.max(...m) - Math.min(...m) : -1;
  const top = middles('header.top .brand, .header-tools > *');
  const sections = middles('.site-nav > ul > li');
  const toolsBottom = Math.max(...[...document.querySelectorAll('header.top .brand, .header-tools > *')]
    .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().bottom));
  const sectionsTop = Math.min(...[...document.querySelectorAll('.site-nav > ul > li')]
    .map(e => e.getBoundingClientRect().top));
  return {
    top: spread(top),
    sections: spread(sections),
    all: spread(top.concat(sections)),
    below: sectionsTop >= toolsBottom - 1,
    sideways: document.documentElement.scrollWidth > window.innerWidth,
  };
";

#[tokio::test]
async fn the_header_holds_its_rows_at_every_width_between_the_phone_and_the_wide_screen() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Fabrikam Distribution Europe du Nord et de l'Ouest",
        "olga@contoso.example",
        Lang::En,
    );
    // The full name is made from the username: a long one.
    let username = "bartholomew.featherstonehaugh-wolfeschlegel@fabrikam.example";
    app.active_member(&partner, username, PartnerRole::Owner);
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        browser
            .sign_in(&app.url("/login"), username, PASSWORD)
            .await?;
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("sign-out"))
            .await?;
        let mut problems = Vec::new();
        for lang in [Lang::En, Lang::Fr] {
            if lang == Lang::Fr {
                c.find(Locator::Id("switch-language-fr"))
                    .await?
                    .click()
                    .await?;
                c.wait()
                    .at_most(Duration::from_secs(5))
                    .for_element(Locator::Css("html[lang='fr']"))
                    .await?;
            }
            c.goto(&app.url("/partner/customers")).await?;
            for width in TWO_ROWS.into_iter().chain(ONE_ROW) {
                c.set_window_size(u32::try_from(width)?, 800).await?;
                let rows = c.execute(ROWS, vec![]).await?;
                let number = |key: &str| rows[key].as_f64().unwrap_or(f64::MAX);
                let at = format!("{} at {width} px", lang.code());
                if rows["sideways"] != serde_json::json!(false) {
                    problems.push(format!("{at}: the page scrolls sideways"));
                }
                if number("top") > 12.0 || number("sections") > 12.0 {
                    problems.push(format!("{at}: a row wraps: {rows}"));
                }
                if TWO_ROWS.contains(&width) && rows["below"] != serde_json::json!(true) {
                    problems.push(format!(
                        "{at}: the sections are not below the tools: {rows}"
                    ));
                }
                if ONE_ROW.contains(&width) && number("all") > 12.0 {
                    problems.push(format!("{at}: the bar is not one row: {rows}"));
                }
            }
        }
        let person = c.find(Locator::Id("profile-link")).await?;
        let title = person.attr("title").await?.unwrap_or_default();
        anyhow::ensure!(
            title == format!("Person {username}"),
            "the cut name is whole in its tooltip: {title}"
        );
        anyhow::ensure!(problems.is_empty(), "{}", problems.join("\n"));
        Ok(())
    }
    .await;
    browser.finish("header_rows", outcome).await;
}
