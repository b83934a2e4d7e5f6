//! Exports of the customer list: exactly the filtered rows in their order, streamed,
//! formulas defused, with a byte order mark and either separator.

use tokio::io::AsyncReadExt;

use crate::customers::{fixture, listed_ids, page_of};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{POSTGRES_URL_VAR, TestApp, spawn_app};
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

/// Partner Contoso, whose owner is owner@contoso.example, with `count`
/// generated customers.
async fn owner_with_customers(count: usize, seed: u64) -> (TestApp, String) {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    app.seeded_customers(&ours, app.clock_now(), count, &[], seed);
    (app, ours)
}

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
    let (app, ours) = owner_with_customers(2_345, 7).await;
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

/// Customers written while a large export is being read (new ones that sort
/// first, one dissociated from the partner) neither shift its later batches
/// nor appear in them: the file holds each customer it started with once,
/// less the one gone, in the list's order. The file is read over a socket
/// with a small receive buffer: the first part, then the writes are made,
/// then the rest; the file is larger than the server's socket can hold, so
/// its last batches are read after the writes. (With paging by offset, the
/// 200 new customers came back as 200 repeated rows.)
#[tokio::test]
async fn writes_during_an_export_neither_repeat_nor_skip_a_customer() {
    // How the file is cut into batches is the same on both databases, and
    // writing 24,000 customers takes minutes on PostgreSQL's triggers.
    if std::env::var(POSTGRES_URL_VAR).is_ok_and(|url| !url.is_empty()) {
        eprintln!("skipped: runs on SQLite only");
        return;
    }
    let (app, ours) = owner_with_customers(24_000, 11).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let owner = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    let signed_in = app
        .post_as(
            &owner,
            "/login",
            &[
                ("username", "owner@contoso.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), 303);
    let (_, before) = page_of(&owner, &app, "/partner/customers.csv").await;
    assert!(
        before.len() > 5 << 20,
        "larger than a loopback socket's send buffer can grow (4 MiB on Linux)"
    );
    let mut expected = exported_ids(&before);
    let gone = expected.last().expect("the last customer by name").clone();
    expected.retain(|id| *id != gone);

    let url = reqwest::Url::parse(&app.url("/partner/customers.csv")).expect("URL");
    let cookie =
        reqwest::cookie::CookieStore::cookies(jar.as_ref(), &url).expect("the session cookie");
    let mut file = slow_reader(&url, cookie.to_str().expect("ASCII")).await;
    let mut received = vec![0; 4096];
    let first = file.read(&mut received).await.expect("a first part");
    received.truncate(first);
    for n in 0..200 {
        app.customer(&ours, &CustomerSpec::named(&format!("Aardvark {n:04}")));
    }
    {
        use diesel::prelude::*;
        use partnerdesk::db::schema::customer_accounts as c;
        diesel::update(c::table.filter(c::id.eq(&gone)))
            .set(c::partner_id.eq(None::<String>))
            .execute(&mut app.conn())
            .expect("dissociated");
    }
    file.read_to_end(&mut received).await.expect("the rest");
    let response = String::from_utf8(received).expect("UTF-8");
    let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    let text = &unchunked(body);
    let ids = exported_ids(text);
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no customer twice");
    assert_eq!(
        ids.len(),
        23_999,
        "every customer it started with but the one gone"
    );
    assert_eq!(ids, expected, "in the list's order");
    assert!(
        !text.contains(",Aardvark "),
        "none created after it started"
    );
}

/// The body of a chunked answer.
fn unchunked(mut body: &str) -> String {
    let mut text = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n").expect("a chunk's size");
        let size = usize::from_str_radix(size, 16).expect("a hexadecimal size");
        if size == 0 {
            return text;
        }
        text.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
}

/// A GET of `url` over a socket that takes 4 KiB at a time; the server
/// closes it after the answer.
async fn slow_reader(url: &reqwest::Url, cookie: &str) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(4096).expect("a small buffer");
    let address = url.socket_addrs(|| None).expect("the address")[0];
    let mut stream = socket.connect(address).await.expect("connected");
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n",
        url.path(),
        address
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    stream
}
