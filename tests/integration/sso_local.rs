//! The server fetches the issuer an owner types: unless the operator allows
//! local providers, an issuer on the operator's own machine or network is
//! refused next to the field and never contacted, whether it is written as an
//! address or as a name that resolves to one.

use std::net::TcpListener;

use partnerdesk::i18n::Lang;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_issuer_on_the_operators_network_is_refused_and_never_contacted() {
    let app = spawn_app().await;
    assert!(!app.settings.sso_allow_http_issuers, "the default");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("address").port();
    let (_, owner) = app.contoso_owner_signed_in(Lang::En).await;
    for issuer in [
        format!("https://127.0.0.1:{port}"),
        format!("https://localhost:{port}/realms/staff"),
        format!("https://[::ffff:127.0.0.1]:{port}"),
        "https://169.254.169.254/latest".to_owned(),
        "https://10.0.0.1/".to_owned(),
    ] {
        let answer = app
            .post_as(
                &owner,
                "/partner/sso",
                &[
                    ("issuer_url", issuer.as_str()),
                    ("client_id", "partnerdesk"),
                    ("client_secret", "secret"),
                ],
            )
            .await;
        assert_eq!(answer.status(), 422, "{issuer}");
        let page = answer.text().await.expect("page");
        assert!(page.contains(r#"id="issuer_url-error""#), "{issuer}");
    }
    // A connection the server had opened would be waiting in the queue now:
    // the answers above came after any attempt.
    let contacted = listener.accept();
    assert!(
        matches!(&contacted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the server connected: {contacted:?}"
    );
}
