//! The public front page.

use actix_web::HttpResponse;
use askama::Template;

use crate::web::{Layout, PageError, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
}

pub async fn index(layout: Layout) -> Result<HttpResponse, PageError> {
    render(&HomePage { layout })
}

/// A plain-text answer for load balancers (and the benchmark's baseline).
pub async fn health_check() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}
