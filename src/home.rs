//! The public front page.

use actix_web::HttpResponse;
use askama::Template;

use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: PageContext,
}

pub async fn index(layout: PageContext) -> Result<HttpResponse, PageError> {
    render(&HomePage { layout })
}

/// A plain-text answer for load balancers (and the benchmark's baseline).
pub async fn health_check() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}
