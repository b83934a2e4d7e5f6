//! The sweeper: drives one persona's browser through every page at every width,
//! in both languages and colour schemes, running axe-core and keeping screenshots.

use crate::authorization::Persona;
use crate::browser::{Browser, SessionPost};
use crate::browser_sweep::{HEIGHT, LANGUAGES, TWO_STEP_LOGIN, WIDTHS};
use crate::helpers::TestApp;
use crate::helpers::people::PASSWORD;
use fantoccini::{Client, Locator};
use partnerdesk::i18n::Lang;
use partnerdesk::routes::Route;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;
use totp_rs::{Algorithm, Secret, TOTP};

pub(crate) fn axe_source() -> anyhow::Result<String> {
    let path = std::env::var("PARTNERDESK_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/axe/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).map_err(|e| {
        anyhow::anyhow!(
            "axe-core not found at {} ({e}): run `npm ci --prefix tests/axe` or set PARTNERDESK_AXE_JS",
            path.display()
        )
    })
}

pub(crate) fn screenshot_folder() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("sweep-screenshots")
}

pub(crate) fn slug(path: &str) -> String {
    let s: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if s.is_empty() { "home".to_owned() } else { s }
}

/// Everything the sweep saw go wrong, and the screenshots taken or left to others.
#[derive(Default)]
pub(crate) struct Report {
    pub(crate) failures: Vec<String>,
    pub(crate) screenshots: BTreeSet<(&'static str, i64)>,
    pub(crate) checks: usize,
}

/// One browser for one persona, sized and switched between languages.
pub(crate) struct Sweeper<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) browser: Browser,
    pub(crate) persona: Persona,
    pub(crate) axe: &'a str,
    /// The customer the assisting partner opens.
    pub(crate) customer: &'a str,
    /// The organisation whose portal the assisting distributor enters.
    pub(crate) partner: &'a str,
    /// How much wider the window is than the page inside it.
    pub(crate) chrome: i64,
}

impl Sweeper<'_> {
    pub(crate) fn c(&self) -> &Client {
        &self.browser.client
    }

    pub(crate) async fn inner_width(&self) -> anyhow::Result<i64> {
        let inner = self
            .c()
            .execute("return window.innerWidth;", vec![])
            .await?;
        Ok(inner.as_i64().unwrap_or(0))
    }

    /// Sizes the window so that the page is `width` px wide, and waits for it.
    pub(crate) async fn size(&mut self, width: i64) -> anyhow::Result<()> {
        let mut inner = 0;
        for _ in 0..3 {
            let outer = u32::try_from(width + self.chrome)?;
            self.c().set_window_size(outer, HEIGHT).await?;
            for _ in 0..40 {
                inner = self.inner_width().await?;
                if inner == width {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // The window has a frame: learn it, then size again.
            self.chrome += width - inner;
        }
        anyhow::bail!("the window cannot be {width} px wide: {inner}")
    }

    pub(crate) async fn lang(&self) -> anyhow::Result<String> {
        let html = self.c().find(Locator::Css("html")).await?;
        Ok(html.attr("lang").await?.unwrap_or_default())
    }

    /// Switches the language with the header's switch, as a person would.
    pub(crate) async fn switch_to(&mut self, lang: Lang) -> anyhow::Result<()> {
        if self.lang().await? == lang.code() {
            return Ok(());
        }
        self.size(1366).await?;
        self.c()
            .find(Locator::Id(&format!("switch-language-{}", lang.code())))
            .await?
            .click()
            .await?;
        self.c()
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("html[lang='{}']", lang.code())))
            .await?;
        Ok(())
    }

    pub(crate) async fn sign_in(&mut self) -> anyhow::Result<()> {
        let Some(username) = self.persona.username() else {
            self.c().goto(&self.app.url("/")).await?;
            return Ok(());
        };
        self.browser
            .sign_in(&self.app.url("/login"), &username, PASSWORD)
            .await?;
        self.c()
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("sign-out"))
            .await?;
        let (form, button, banner) = match self.persona {
            Persona::AssistingPartner => (
                format!("/partner/customers/{}/open", self.customer),
                "open-customer",
                "assisted-banner",
            ),
            Persona::AssistingDistributor => (
                format!("/partner/resellers/{}/assist", self.partner),
                "assist-reseller",
                "reseller-assist-banner",
            ),
            _ => return Ok(()),
        };
        self.c().goto(&self.app.url(&form)).await?;
        self.c()
            .find(Locator::Id("reason"))
            .await?
            .send_keys("Browser sweep")
            .await?;
        self.c().find(Locator::Id(button)).await?.click().await?;
        self.c()
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id(banner))
            .await?;
        Ok(())
    }

    /// The password step of a login with an authenticator app, which leads to
    /// the second step's page.
    pub(crate) async fn password_step(&self) -> anyhow::Result<()> {
        self.browser
            .sign_in(&self.app.url("/login"), TWO_STEP_LOGIN, PASSWORD)
            .await?;
        self.c()
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("code"))
            .await?;
        Ok(())
    }

    /// The page as it is now, at every width: no sideways scroll, nothing
    /// serious for axe.
    pub(crate) async fn check(
        &mut self,
        route: &'static Route,
        path: &str,
        lang: Lang,
        report: &mut Report,
    ) -> anyhow::Result<()> {
        self.c().execute(self.axe, vec![]).await?;
        let text = self.c().execute(VISIBLE_TEXT, vec![]).await?;
        for problem in crate::page_text::unresolved(text.as_str().unwrap_or_default()) {
            report.failures.push(format!(
                "{path} as {:?}, {}: {problem}",
                self.persona,
                lang.code()
            ));
        }
        for width in WIDTHS {
            self.size(width).await?;
            report.checks += 1;
            let at = format!("{path} as {:?}, {}, {width} px", self.persona, lang.code());
            let measured = self.c().execute(MEASURE, vec![]).await?;
            let scroll = measured["scroll"].as_i64().unwrap_or(i64::MAX);
            let inner = measured["inner"].as_i64().unwrap_or(0);
            if scroll > inner {
                report.failures.push(format!(
                    "{at}: scrolls sideways, {scroll} > {inner} px (widest: {})",
                    measured["widest"]
                ));
            }
            let misaligned = self.c().execute(FILTERS_ALIGNED, vec![]).await?;
            for line in misaligned.as_array().into_iter().flatten() {
                report.failures.push(format!(
                    "{at}: filters out of line: {}",
                    line.as_str().unwrap_or("?")
                ));
            }
            if width >= 1366 {
                let rows = self.c().execute(ONE_LINE, vec![]).await?;
                for bar in rows.as_array().into_iter().flatten() {
                    report
                        .failures
                        .push(format!("{at}: {} wraps", bar.as_str().unwrap_or("?")));
                }
            }
            self.axe_run(&at, report).await?;
            if lang == Lang::En && report.screenshots.insert((route.path, width)) {
                self.screenshot(&format!("{}-{width}", slug(route.path)))
                    .await?;
                // Once per page, dark mode too: its colours pass the same checks.
                if width == 1366 {
                    self.c().issue_cmd(colour_scheme("dark")).await?;
                    self.axe_run(&format!("{at}, dark"), report).await?;
                    self.screenshot(&format!("{}-{width}-dark", slug(route.path)))
                        .await?;
                    self.c().issue_cmd(colour_scheme("light")).await?;
                }
            }
        }
        Ok(())
    }

    /// axe-core on the page as it is: every serious or critical violation.
    pub(crate) async fn axe_run(&self, at: &str, report: &mut Report) -> anyhow::Result<()> {
        let found = self.c().execute_async(AXE_RUN, vec![]).await?;
        if let Some(error) = found.get("error") {
            anyhow::bail!("axe failed on {at}: {error}");
        }
        for violation in found.as_array().into_iter().flatten() {
            report.failures.push(format!(
                "{at}: axe {} ({}) {}: {}",
                violation["id"].as_str().unwrap_or("?"),
                violation["impact"].as_str().unwrap_or("?"),
                violation["help"].as_str().unwrap_or(""),
                violation["targets"]
            ));
        }
        Ok(())
    }

    pub(crate) async fn screenshot(&self, name: &str) -> anyhow::Result<()> {
        let png = self.c().screenshot().await?;
        let folder = screenshot_folder();
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{name}.png")), png)?;
        Ok(())
    }

    pub(crate) async fn sweep(
        &mut self,
        pages: &[(&'static Route, String)],
        report: &mut Report,
    ) -> anyhow::Result<()> {
        self.size(1366).await?;
        self.sign_in().await?;
        for lang in LANGUAGES {
            self.switch_to(lang).await?;
            for (route, path) in pages {
                if route.path == "/login/second-factor" {
                    self.password_step().await?;
                } else {
                    self.c().goto(&self.app.url(path)).await?;
                }
                self.check(route, path, lang, report).await?;
            }
        }
        Ok(())
    }
}

/// Chromium's emulation of the system's colour scheme (`prefers-color-scheme`),
/// through chromedriver's DevTools endpoint.
fn colour_scheme(value: &str) -> SessionPost {
    SessionPost {
        path: "goog/cdp/execute",
        body: serde_json::json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-color-scheme", "value": value }] },
        }),
    }
}

/// What people read on the page: its title, its visible text (not the file
/// formats and column names quoted in `code`), and the words that stand in for
/// pictures, label controls or hint at fields. Not the values of options,
/// which are the codes the server reads.
const VISIBLE_TEXT: &str = "
  const words = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('code, kbd, samp, pre, script, style, template')) continue;
    if (parent.checkVisibility && !parent.checkVisibility()) continue;
    words.push(node.textContent);
  }
  for (const e of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    words.push(e.getAttribute('title') || '', e.getAttribute('aria-label') || '',
      e.getAttribute('placeholder') || '', e.getAttribute('alt') || '');
  }
  for (const e of document.querySelectorAll('input[type=submit], input[type=button]')) words.push(e.value);
  return words.join('\\n');
";

/// The widest element sticking out of the page, to say what to fix.
const MEASURE: &str = "
  const inner = window.innerWidth;
  let widest = '', right = inner;
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect().right;
    if (r > right) {
      let clipped = false;
      for (let p = e.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
      }
      if (!clipped) { right = r; widest = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''); }
    }
  }
  return { scroll: document.documentElement.scrollWidth, inner: inner, widest: widest + ' ' + Math.round(right) };
";

/// The bars that hold on one line on a wide screen: the header (name, sections,
/// tools) and the current section's pages.
const ONE_LINE: &str = "
  const wraps = [];
  const bars = {
    'the header': document.querySelectorAll('header.top .brand, .site-nav > ul > li, .header-tools > *'),
    'the section bar': document.querySelectorAll('.section-nav li'),
  };
  for (const [name, items] of Object.entries(bars)) {
    const middles = [...items].filter(e => e.offsetParent !== null)
      .map(e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; });
    if (middles.length && Math.max(...middles) - Math.min(...middles) > 12) wraps.push(name);
  }
  return wraps;
";

/// The rows of filter forms whose controls do not line up: on each line of a
/// `.filters` form (the items whose margin boxes overlap), every
/// field's control, checkbox and button has the same middle, give or take two
/// pixels, whatever the labels above them or the hints below.
const FILTERS_ALIGNED: &str = "
  const problems = [];
  for (const form of document.querySelectorAll('.filters')) {
    const items = [];
    for (const item of form.children) {
      if (item.offsetParent === null) continue;
      const control = item.matches('button, input, select') ? item
        : item.querySelector('input:not([type=hidden]), select, button');
      if (!control) continue;
      const style = getComputedStyle(item), r = item.getBoundingClientRect(), c = control.getBoundingClientRect();
      items.push({ top: r.top - parseFloat(style.marginTop), bottom: r.bottom + parseFloat(style.marginBottom),
                   name: control.id || control.tagName.toLowerCase(), middle: (c.top + c.bottom) / 2 });
    }
    // A flex line: the items whose margin boxes overlap those above them.
    items.sort((a, b) => a.top - b.top);
    const lines = [];
    for (const item of items) {
      const line = lines[lines.length - 1];
      if (line && item.top < line.bottom - 0.5) { line.items.push(item); line.bottom = Math.max(line.bottom, item.bottom); }
      else lines.push({ items: [item], bottom: item.bottom });
    }
    for (const line of lines) {
      const middles = line.items.map(i => i.middle);
      if (Math.max(...middles) - Math.min(...middles) > 2) {
        problems.push(line.items.map(i => i.name + ' at ' + Math.round(i.middle)).join(', '));
      }
    }
  }
  return problems;
";

/// axe-core on the whole page; only violations of impact serious or critical.
const AXE_RUN: &str = "
  const done = arguments[arguments.length - 1];
  axe.run(document, { resultTypes: ['violations'] })
    .then(r => done(r.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   targets: v.nodes.map(n => n.target.join(' ')) }))))
    .catch(e => done({ error: String(e) }));
";

/// Gives `TWO_STEP_LOGIN` an authenticator app, so that its sign-in has a second step.
pub(crate) async fn enrol_authenticator(app: &TestApp) {
    let http = app.browser_signed_in(TWO_STEP_LOGIN, PASSWORD).await;
    let form = http
        .get(app.url("/account/security/totp"))
        .send()
        .await
        .expect("the enrolment page")
        .text()
        .await
        .expect("its body");
    let start = r#"id="totp-secret">"#;
    let from = form.find(start).expect("the secret shown") + start.len();
    let to = form[from..].find("</code>").expect("its end") + from;
    let bytes = Secret::Encoded(form[from..to].to_owned())
        .to_bytes()
        .expect("a base32 secret");
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new());
    let seconds = u64::try_from(app.clock_now().and_utc().timestamp()).expect("time");
    let done = app
        .post_as(
            &http,
            "/account/security/totp",
            &[("label", "Phone"), ("code", &totp.generate(seconds))],
        )
        .await;
    assert_eq!(done.status(), 200, "the authenticator is enrolled");
}
