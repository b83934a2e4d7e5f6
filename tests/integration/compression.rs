//! Answers go compressed to a browser that asks, and static files are linked
//! under their content's hash, cacheable for good.

use std::io::Read;

use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, ETAG, IF_NONE_MATCH, VARY,
};

use crate::helpers::{TestApp, spawn_app};

async fn get_accepting(app: &TestApp, path: &str, encodings: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header(ACCEPT_ENCODING, encodings)
        .send()
        .await
        .expect("GET")
}

fn brotli_decoded(bytes: &[u8]) -> String {
    let mut text = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut text)
        .expect("valid brotli");
    text
}

fn gzip_decoded(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("valid gzip");
    text
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> &str {
    response
        .headers()
        .get(name)
        .map_or("", |value| value.to_str().expect("ascii"))
}

#[tokio::test]
async fn pages_go_in_brotli_or_gzip_as_asked_and_plain_otherwise() {
    let app = spawn_app().await;
    let plain = app.get("/login").await;
    assert_eq!(header(&plain, CONTENT_ENCODING), "");
    assert_eq!(header(&plain, VARY), "accept-encoding");
    let plain = plain.text().await.expect("body");
    assert!(plain.len() > 1024, "the sign-in page is worth compressing");

    let brotli = get_accepting(&app, "/login", "gzip, deflate, br").await;
    assert_eq!(header(&brotli, CONTENT_ENCODING), "br");
    let bytes = brotli.bytes().await.expect("body");
    assert!(
        bytes.len() < plain.len() / 2,
        "{} of {}",
        bytes.len(),
        plain.len()
    );
    let page = brotli_decoded(&bytes);
    assert!(page.contains("</html>") && page.contains("name=\"username\""));

    let gzip = get_accepting(&app, "/login", "gzip;q=1, br;q=0").await;
    assert_eq!(header(&gzip, CONTENT_ENCODING), "gzip");
    let page = gzip_decoded(&gzip.bytes().await.expect("body"));
    assert!(page.contains("</html>") && page.contains("name=\"username\""));

    let identity = get_accepting(&app, "/login", "identity").await;
    assert_eq!(header(&identity, CONTENT_ENCODING), "");

    // A few bytes are not worth it, and an error page is compressed like any.
    let small = get_accepting(&app, "/health_check", "br").await;
    assert_eq!(header(&small, CONTENT_ENCODING), "");
    assert_eq!(small.text().await.expect("body"), "ok");
    let missing = get_accepting(&app, "/no/such/page", "br").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, CONTENT_ENCODING), "br");
    assert!(brotli_decoded(&missing.bytes().await.expect("body")).contains("Page not found"));
}

/// The stylesheet's URL as the pages link it.
async fn stylesheet_url(app: &TestApp) -> String {
    let page = app.get_text("/login").await;
    let start = page.find("/static/style.").expect("a stylesheet link");
    let end = start + page[start..].find('"').expect("closing quote");
    page[start..end].to_owned()
}

#[tokio::test]
async fn static_files_are_linked_by_hash_cached_for_good_and_precompressed() {
    let app = spawn_app().await;
    let url = stylesheet_url(&app).await;
    let hash = url
        .trim_start_matches("/static/style.")
        .trim_end_matches(".css");
    assert_eq!(hash.len(), 16, "{url}");

    let plain = app.get(&url).await;
    assert_eq!(plain.status(), 200);
    assert_eq!(
        header(&plain, CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    let etag = header(&plain, ETAG).to_owned();
    let css = plain.text().await.expect("body");
    assert!(css.contains("--accent"));

    let brotli = get_accepting(&app, &url, "br, gzip").await;
    assert_eq!(header(&brotli, CONTENT_ENCODING), "br");
    assert_eq!(header(&brotli, VARY), "accept-encoding");
    assert_eq!(brotli_decoded(&brotli.bytes().await.expect("body")), css);
    let gzip = get_accepting(&app, &url, "gzip").await;
    assert_eq!(gzip_decoded(&gzip.bytes().await.expect("body")), css);

    let again = app
        .client
        .get(app.url(&url))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());

    // Without the hash, or with another release's, the file is still served,
    // but checked again within the hour.
    for other in ["/static/style.css", "/static/style.0123456789abcdef.css"] {
        let answer = app.get(other).await;
        assert_eq!(answer.status(), 200, "{other}");
        assert_eq!(
            header(&answer, CACHE_CONTROL),
            "public, max-age=3600",
            "{other}"
        );
        assert_eq!(answer.text().await.expect("body"), css, "{other}");
    }
}
