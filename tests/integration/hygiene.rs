//! Input hygiene on both backends: NUL bytes and invalid UTF-8 in paths, query
//! strings, forms and JSON are answered 400 (JSON for the API) before any
//! query, in the reader's language and with nothing written; bodies above
//! their cap answer 413 whether or not they declare their length; odd search
//! text is searched, not an error.

use diesel::prelude::*;
use partnerdesk::db::schema::customer_groups;
use partnerdesk::i18n::Lang;

use crate::helpers::{TestApp, spawn_app};

async fn signed_in_owner(app: &TestApp) -> reqwest::Client {
    app.contoso_owner_signed_in(Lang::Fr).await.1
}

/// POSTs `body` as a form, with the CSRF token in its header.
async fn post_raw(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    content_type: &str,
    body: reqwest::Body,
) -> reqwest::Response {
    let token = app.csrf_token_of(browser).await;
    browser
        .post(app.url(path))
        .header("content-type", content_type)
        .header("x-csrf-token", token)
        .body(body)
        .send()
        .await
        .expect("POST")
}

/// A body of `size` bytes sent in chunks, without a Content-Length.
fn chunked(size: usize, byte: u8) -> reqwest::Body {
    const CHUNK: usize = 64 * 1024;
    let chunks = (0..size.div_ceil(CHUNK)).map(move |n| {
        let len = CHUNK.min(size - n * CHUNK);
        Ok::<_, std::io::Error>(vec![byte; len])
    });
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn nul_bytes_and_invalid_utf8_are_refused_before_any_query() {
    let app = spawn_app().await;
    let owner = signed_in_owner(&app).await;
    for path in [
        "/partner/customers?q=%00",
        "/partner/customers?q=a%00b",
        "/partner/customers?group=%00",
        "/partner/customers?q=caf%E9",
        "/partner/customers.csv?q=%00",
        "/partner/customers/%00",
        "/partner/customers/abc%00/orders",
        "/partner/groups?%00=1",
    ] {
        let response = owner.get(app.url(path)).send().await.expect("GET");
        assert_eq!(response.status(), 400, "{path}");
        let body = response.text().await.expect("body");
        assert!(
            body.contains("Cette requête contient des caractères que le portail"),
            "{path}: {body}"
        );
    }
    // Forms: the sign-in and password-reset forms (anonymous), and a form of
    // a signed-in person; nothing is written.
    let anonymous = crate::helpers::client();
    for (path, body) in [
        ("/login", "username=ada%00&password=x"),
        ("/password-reset", "username=ada%00"),
        ("/login", "username=caf%E9&password=x"),
    ] {
        let response = post_raw(
            &app,
            &anonymous,
            path,
            "application/x-www-form-urlencoded",
            body.into(),
        )
        .await;
        assert_eq!(response.status(), 400, "{path} {body}");
    }
    for name in ["Retail%00", "Caf%E9", "Caf\u{0}"] {
        let response = post_raw(
            &app,
            &owner,
            "/partner/groups",
            "application/x-www-form-urlencoded",
            format!("name={name}").into(),
        )
        .await;
        assert_eq!(response.status(), 400, "{name}");
    }
    let groups: i64 = customer_groups::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(groups, 0, "nothing half-saved");

    the_api_answers_in_json(&app).await;
}

/// The API refuses the same input with a JSON answer.
async fn the_api_answers_in_json(app: &TestApp) {
    let (_, token) = {
        let partner_customer = app.customer(
            &app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En),
            &crate::helpers::customers::CustomerSpec::named("Bellows"),
        );
        app.customer_api_token(&partner_customer)
    };
    let api = reqwest::Client::new();
    let answer = api
        .get(app.url("/api/v1/monitors/%00/results"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(answer.status(), 400);
    let json: serde_json::Value = answer.json().await.expect("JSON");
    assert_eq!(json["error"], "malformed_input");
    for body in [
        br#"{"checked_at": "2026-12-04T10:00:00Z", "success": true, "response_ms": 1, "message": "a\u0000b"}"#.to_vec(),
        b"{\"message\": \"\xff\"}".to_vec(),
    ] {
        let answer = api
            .post(app.url("/api/v1/monitors/whatever/results"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("POST");
        assert_eq!(answer.status(), 400);
        let json: serde_json::Value = answer.json().await.expect("JSON");
        assert_eq!(json["error"], "malformed_input");
    }
    // What no handler answers under /api/ is JSON too: no such route, and a
    // method the route does not take (with the methods it does).
    let missing = api.get(app.url("/api/v1/no-such-thing")).send().await;
    let missing = missing.expect("GET");
    assert_eq!(missing.status(), 404);
    let json: serde_json::Value = missing.json().await.expect("JSON for a missing route");
    assert_eq!(json["error"], "not_found");
    let wrong = api
        .delete(app.url("/api/v1/monitors"))
        .bearer_auth(&token)
        .send()
        .await;
    let wrong = wrong.expect("DELETE");
    assert_eq!(wrong.status(), 405);
    assert!(
        wrong.headers().contains_key("allow"),
        "{:?}",
        wrong.headers()
    );
    let json: serde_json::Value = wrong.json().await.expect("JSON for a wrong method");
    assert_eq!(json["error"], "method_not_allowed");
}

#[tokio::test]
async fn search_text_the_full_text_index_finds_odd_is_searched_not_an_error() {
    let app = spawn_app().await;
    let owner = signed_in_owner(&app).await;
    for q in [
        "%22",
        "*",
        "NEAR(",
        "-",
        "%5E",
        "a%22b",
        "OR",
        "%27",
        "(",
        "%E2%80%94",
    ] {
        let path = format!("/partner/customers?q={q}");
        let response = owner.get(app.url(&path)).send().await.expect("GET");
        assert_eq!(response.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn bodies_above_their_cap_answer_413_however_they_are_sent() {
    let app = spawn_app().await;
    let owner = signed_in_owner(&app).await;
    // A form body over 256 KB, chunked (no Content-Length), then declared.
    let big = 300 * 1024;
    let chunked_form = post_raw(
        &app,
        &owner,
        "/partner/groups",
        "application/x-www-form-urlencoded",
        chunked(big, b'a'),
    )
    .await;
    assert_eq!(chunked_form.status(), 413);
    let declared = post_raw(
        &app,
        &owner,
        "/partner/groups",
        "application/x-www-form-urlencoded",
        vec![b'a'; big].into(),
    )
    .await;
    assert_eq!(declared.status(), 413);
    // A 60 MB chunked upload to the import.
    let token = app.csrf_token_of(&owner).await;
    let boundary = "partnerdeskboundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    );
    let stream = futures_util::stream::iter(
        std::iter::once(Ok::<_, std::io::Error>(head.into_bytes()))
            .chain((0..(60 * 1024 / 64)).map(|_| Ok(vec![b'x'; 64 * 1024]))),
    );
    let upload = owner
        .post(app.url(&format!("/partner/customers/import?csrf_token={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    match upload {
        Ok(answer) => assert_eq!(answer.status(), 413),
        // The server may close the connection once it has answered.
        Err(error) => assert!(error.is_request() || error.is_body(), "{error}"),
    }
}

/// An address that only answers a form, opened directly, says so (405), in
/// the reader's language, rather than "page not found".
#[tokio::test]
async fn a_form_address_opened_directly_says_it_answers_a_form() {
    let app = spawn_app().await;
    let response = app.get("/activate/renew").await;
    assert_eq!(response.status(), 405);
    let body = response.text().await.expect("body");
    assert!(body.contains("This address answers a form"), "{body}");
    let owner = signed_in_owner(&app).await;
    let french = owner
        .get(app.url("/partner/context/clear"))
        .send()
        .await
        .expect("GET");
    assert_eq!(french.status(), 405);
    let body = french.text().await.expect("body");
    assert!(
        body.contains("Cette adresse répond à un formulaire"),
        "{body}"
    );
}

/// A CSV file holding a NUL byte is refused next to the file field, and no
/// import is queued.
#[tokio::test]
async fn an_import_file_with_a_nul_byte_is_refused_as_unreadable() {
    let app = spawn_app().await;
    let owner = signed_in_owner(&app).await;
    let header = partnerdesk::customers::export::HEADER.join(",");
    let file = format!(
        "{header}\n,Ada\0Corp,ada.example,FR,,Europe/Paris,,monthly,,monthly_usage,,no,,,,,,,,,,\n"
    );
    let response = crate::customer_import::upload(&app, &owner, "bad.csv", file.into_bytes()).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("body");
    assert!(body.contains(r#"id="file-error""#), "{body}");
    let imports: i64 = partnerdesk::db::schema::customer_imports::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(imports, 0);
}
