//! Compressed answers: HTML, CSS, JSON and other text above a small size go
//! out in Brotli or gzip when the browser asks for it (`Accept-Encoding`).
//! A customer list page is about 46 KB of HTML and about a tenth of that
//! compressed. Streamed bodies (CSV exports) and answers that already carry an
//! encoding (the precompressed static files) pass as they are.

use std::io::Write;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    self, AcceptEncoding, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, VARY,
};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};

/// Below this, compression saves less than it costs.
pub const MIN_BYTES: usize = 1024;

/// Brotli's quality for answers made per request: close to its best ratio on
/// HTML at a fraction of the cost of the highest levels.
const BROTLI_QUALITY: u32 = 5;
/// Brotli's window (log2 of its size), the format's default.
const BROTLI_WINDOW: u32 = 22;
const GZIP_LEVEL: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub const OFFERED: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The name in `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    fn header(self) -> header::Encoding {
        match self {
            Encoding::Brotli => header::Encoding::brotli(),
            Encoding::Gzip => header::Encoding::gzip(),
        }
    }
}

/// Whether content of this type shrinks when compressed (text, not images).
pub fn is_compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json"
                | "application/javascript"
                | "application/xml"
                | "application/openmetrics-text"
                | "image/svg+xml"
        )
}

/// The encoding among `offered` the request prefers; `None` for the plain
/// content (not asked for, or preferred).
pub fn negotiate(req: &HttpRequest, offered: &[Encoding]) -> Option<Encoding> {
    let accepted = req.get_header::<AcceptEncoding>()?;
    let mut supported: Vec<header::Encoding> = offered.iter().map(|e| e.header()).collect();
    supported.push(header::Encoding::identity());
    let chosen = accepted.negotiate(supported.iter())?;
    offered.iter().copied().find(|e| e.header() == chosen)
}

pub fn compress(encoding: Encoding, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    // Writing into a Vec cannot fail.
    match encoding {
        Encoding::Brotli => {
            let mut writer =
                brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
            let _ = writer.write_all(bytes);
            drop(writer);
        }
        Encoding::Gzip => {
            let mut writer =
                flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(GZIP_LEVEL));
            let _ = writer.write_all(bytes);
            let _ = writer.finish();
        }
    }
    out
}

/// The middleware: compresses a complete, compressible answer of at least
/// [`MIN_BYTES`] in the encoding the request prefers.
pub async fn compress_answers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let compressible = !response.headers().contains_key(CONTENT_ENCODING)
        && response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(is_compressible);
    if !compressible {
        return Ok(response);
    }
    let (request, mut response) = response.into_parts();
    let varies = response
        .headers()
        .get_all(VARY)
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.to_ascii_lowercase().contains("accept-encoding"));
    if !varies {
        response
            .headers_mut()
            .append(VARY, HeaderValue::from_static("accept-encoding"));
    }
    let Some(encoding) = negotiate(&request, &Encoding::OFFERED) else {
        return Ok(ServiceResponse::new(request, response));
    };
    let (response, body) = response.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) if bytes.len() >= MIN_BYTES => bytes,
        Ok(bytes) => {
            return Ok(ServiceResponse::new(
                request,
                response.set_body(BoxBody::new(bytes)),
            ));
        }
        Err(stream) => return Ok(ServiceResponse::new(request, response.set_body(stream))),
    };
    let compressed = compress(encoding, &bytes);
    let mut response = response.set_body(BoxBody::new(compressed));
    let headers = response.headers_mut();
    headers.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
    headers.remove(CONTENT_LENGTH);
    Ok(ServiceResponse::new(request, response))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn both_encodings_round_trip() {
        let text = "<p>Contoso</p>".repeat(500);
        let gzip = compress(Encoding::Gzip, text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(gzip.as_slice())
            .read_to_string(&mut back)
            .expect("gunzip");
        assert_eq!(back, text);
        let brotli = compress(Encoding::Brotli, text.as_bytes());
        let mut back = String::new();
        brotli::Decompressor::new(brotli.as_slice(), 4096)
            .read_to_string(&mut back)
            .expect("unbrotli");
        assert_eq!(back, text);
        assert!(brotli.len() < text.len() / 10);
    }

    #[test]
    fn text_is_compressible_and_images_are_not() {
        assert!(is_compressible("text/html; charset=utf-8"));
        assert!(is_compressible("application/json"));
        assert!(is_compressible("image/svg+xml"));
        assert!(!is_compressible("image/png"));
        assert!(!is_compressible("application/gzip"));
    }
}
