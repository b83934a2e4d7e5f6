//! Security headers on every answer, and the cap on request bodies.

use actix_web::middleware::DefaultHeaders;

/// The largest request body we accept, except on upload routes (forms are far smaller).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The cap on a request body to a path, as the route table declares it
/// (`routes::body_limit`); given to the application by `startup`, so that the
/// web layer knows no feature.
#[derive(Clone, Copy)]
pub struct BodyLimits(pub fn(&str) -> usize);

impl BodyLimits {
    pub fn of(&self, path: &str) -> usize {
        (self.0)(path)
    }
}

pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        // Activation links carry their token in the path: never leak it onward.
        .add(("Referrer-Policy", "no-referrer"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        headers
    }
}
