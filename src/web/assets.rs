//! Static files, embedded in the binary.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

use super::PageError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

pub async fn serve(path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = Assets::get(path.as_str()).ok_or(PageError::NotFound)?;
    let mime = mime_guess::from_path(path.as_str()).first_or_octet_stream();
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, mime.as_ref()))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .body(file.data.into_owned()))
}
