//! The API reference page: every operation and schema of the served OpenAPI
//! document, readable without a script, in the reader's language around the
//! document's own words.

use crate::helpers::spawn_app;

async fn page(app: &crate::helpers::TestApp, language: &str) -> String {
    let answer = reqwest::Client::new()
        .get(app.url("/api/v1/reference"))
        .header("Accept-Language", language)
        .send()
        .await
        .expect("GET");
    assert_eq!(answer.status(), 200);
    answer.text().await.expect("page")
}

#[tokio::test]
async fn the_reference_shows_every_operation_and_schema_of_the_document() {
    let app = spawn_app().await;
    let document: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let english = page(&app, "en").await;
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            operations += 1;
            let title = format!("<code>{} {}</code>", method.to_uppercase(), path);
            assert!(english.contains(&title), "{title} is on the page");
            // The operation's section names the token it takes.
            let section = english
                .split(&format!("-title\">{title}</h3>"))
                .nth(1)
                .and_then(|rest| rest.split("</section>").next())
                .unwrap_or_else(|| panic!("{title} has a section"));
            for scheme in operation["security"][0]
                .as_object()
                .expect("security")
                .keys()
            {
                assert!(
                    section.contains(&format!("href=\"#token-{scheme}\"")),
                    "{title} names {scheme}"
                );
            }
            for (status, _) in operation["responses"].as_object().expect("responses") {
                assert!(
                    english.contains(&format!("<td>{status}</td>")),
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(operations >= 3, "{operations}");
    for scheme in ["partner_token", "operator_token", "monitoring_token"] {
        assert!(
            english.contains(&format!("id=\"token-{scheme}\"")),
            "{scheme} is explained"
        );
    }
    for tag in ["operator", "monitoring"] {
        assert!(english.contains(&format!("id=\"tag-{tag}\"")), "{tag}");
    }
    for (schema, _) in document["components"]["schemas"]
        .as_object()
        .expect("schemas")
    {
        assert!(
            english.contains(&format!("id=\"schema-{schema}\"")),
            "{schema}"
        );
    }
    assert!(
        english.contains("<code>customers:read</code>"),
        "scopes are named"
    );
    assert!(!english.contains("<script"), "no script is needed");

    let french = page(&app, "fr").await;
    assert!(french.contains("Paramètres") && french.contains("Réponses"));
    assert!(french.contains("Jetons") && french.contains("Jeton :"));
    assert!(!french.contains(">Parameters<"));
}
