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
