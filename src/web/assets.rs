//! Static files, embedded in the binary. Pages link each one under a URL that
//! names a hash of its content (`/static/style.1a2b3c4d5e6f7a8b.css`), so a
//! browser may keep it for a year and a new release is fetched at once. Each
//! file is compressed once, on first use, in every encoding the server offers.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, HeaderValue, IF_NONE_MATCH, VARY,
};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use super::PageError;
use super::compression::{Encoding, compress, is_compressible, negotiate};

#[derive(RustEmbed)]
#[folder = "static/"]
struct Embedded;

/// A year: the longest lifetime caches honour, for a URL whose content never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For a URL without the hash (or an earlier release's hash): an hour, then
/// checked again with its `ETag`.
const REVALIDATED: &str = "public, max-age=3600";

struct Asset {
    mime: String,
    /// The first 16 hex digits of the content's SHA-256.
    hash: String,
    plain: Vec<u8>,
    /// Each encoding that makes the file smaller.
    encoded: Vec<(Encoding, Vec<u8>)>,
}

impl Asset {
    fn load(name: &str) -> Option<Self> {
        let file = Embedded::get(name)?;
        let plain = file.data.into_owned();
        let mime = mime_guess::from_path(name)
            .first_or_octet_stream()
            .to_string();
        let hash = hex::encode(&Sha256::digest(&plain)[..8]);
        let encoded = if is_compressible(&mime) {
            Encoding::OFFERED
                .iter()
                .map(|&encoding| (encoding, compress(encoding, &plain)))
                .filter(|(_, bytes)| bytes.len() < plain.len())
                .collect()
        } else {
            Vec::new()
        };
        Some(Self {
            mime,
            hash,
            plain,
            encoded,
        })
    }

    fn etag(&self, encoding: Option<Encoding>) -> String {
        match encoding {
            Some(encoding) => format!("\"{}-{}\"", self.hash, encoding.token()),
            None => format!("\"{}\"", self.hash),
        }
    }
}

fn assets() -> &'static HashMap<String, Asset> {
    static ASSETS: OnceLock<HashMap<String, Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        Embedded::iter()
            .filter_map(|name| Asset::load(&name).map(|asset| (name.into_owned(), asset)))
            .collect()
    })
}

/// The URL pages link the static file `name` under: with its content's hash
/// before the extension. An unknown name keeps its plain URL (and answers 404).
pub fn url(name: &str) -> String {
    match (assets().get(name), name.rsplit_once('.')) {
        (Some(asset), Some((stem, extension))) => {
            format!("/static/{stem}.{}.{extension}", asset.hash)
        }
        _ => format!("/static/{name}"),
    }
}

/// The file a requested path names, and whether the path carries its current
/// hash (the only case where it may be cached for good).
fn resolve(path: &str) -> Option<(&'static Asset, bool)> {
    if let Some(asset) = assets().get(path) {
        return Some((asset, false));
    }
    let (rest, extension) = path.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let is_hash = hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hash {
        return None;
    }
    let asset = assets().get(&format!("{stem}.{extension}"))?;
    Some((asset, asset.hash == hash))
}

pub async fn serve(req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (asset, current) = resolve(path.as_str()).ok_or(PageError::NotFound)?;
    let offered: Vec<Encoding> = asset.encoded.iter().map(|(e, _)| *e).collect();
    let encoding = negotiate(&req, &offered);
    let etag = asset.etag(encoding);
    let cache = if current { IMMUTABLE } else { REVALIDATED };
    let not_modified = already_has(&req, &etag);
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((CACHE_CONTROL, cache))
        .insert_header((ETAG, etag));
    if !asset.encoded.is_empty() {
        response.insert_header((VARY, HeaderValue::from_static("accept-encoding")));
    }
    if not_modified {
        return Ok(response.finish());
    }
    response.insert_header((CONTENT_TYPE, asset.mime.as_str()));
    let body = match encoding.and_then(|e| asset.encoded.iter().find(|(o, _)| *o == e)) {
        Some((encoding, bytes)) => {
            response.insert_header((CONTENT_ENCODING, encoding.token()));
            bytes.clone()
        }
        None => asset.plain.clone(),
    };
    Ok(response.body(body))
}

/// Whether the browser's cached copy (`If-None-Match`) is this one.
fn already_has(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_url_resolves_to_its_file_and_an_old_hash_is_not_immutable() {
        let url = url("style.css");
        let path = url.trim_start_matches("/static/");
        assert_ne!(path, "style.css");
        let (asset, current) = resolve(path).expect("hashed path");
        assert!(current);
        assert_eq!(asset.mime, "text/css");
        let (_, current) = resolve("style.0000000000000000.css").expect("old hash");
        assert!(!current);
        assert!(resolve("style.not-a-hash.css").is_none());
        assert!(resolve("nothing.css").is_none());
    }
}
