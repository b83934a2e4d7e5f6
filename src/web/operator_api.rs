//! What the instance operator's JSON API (`/api/v1/customers/…`) shares, whichever
//! feature a route belongs to (service health, licence usage): the operator token
//! check, the client it names, and reading a JSON body's fields with every
//! problem named in one answer. Authenticated by an operator token
//! (`Authorization: Bearer …`), never by a session, so it needs no CSRF token.

use actix_web::dev::ServiceRequest;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde_json::{Map, Value};

use crate::accounts::FieldError;
use crate::auth::api_tokens::{ApiClient, operator_of};
use crate::ids::CustomerId;
use crate::web::json_api::{self, ApiError};

/// The access check for `Access::ApiOperator` routes (called by
/// `routes::enforce`): the bearer token must be a live operator token. Puts the
/// client into the request.
pub async fn authenticate(req: &ServiceRequest) -> Result<(), HttpResponse> {
    json_api::authenticate(req, operator_of).await
}

impl FromRequest for ApiClient {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        json_api::client_of(req)
    }
}

/// The body as a JSON object.
pub fn object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::BadJson),
    }
}

/// Identifiers in paths: anything but a plausible id is simply missing, and
/// answers 404 like one.
pub fn plausible(id: &str, resource: &'static str) -> Result<(), ApiError> {
    if !id.is_empty() && id.len() <= 64 {
        Ok(())
    } else {
        Err(ApiError::NotFound(resource))
    }
}

/// The customer the path names and the JSON object sent, each refused
/// (in that order) unless well formed.
pub fn customer_and_object(
    customer_id: String,
    body: &Bytes,
) -> Result<(CustomerId, Map<String, Value>), ApiError> {
    let customer_id = CustomerId::new(customer_id);
    plausible(&customer_id, "customer")?;
    Ok((customer_id, object(body)?))
}

/// The customer and one of its `resource` (a licence, an incident) the path
/// names, and the JSON object sent, each refused (in that order) unless well
/// formed.
pub fn customer_item_and_object(
    (customer_id, item_id): (String, String),
    resource: &'static str,
    body: &Bytes,
) -> Result<(CustomerId, String, Map<String, Value>), ApiError> {
    let customer_id = CustomerId::new(customer_id);
    plausible(&customer_id, "customer")?;
    plausible(&item_id, resource)?;
    Ok((customer_id, item_id, object(body)?))
}

fn problem(error: FieldError) -> &'static str {
    match error {
        FieldError::Required => "required",
        FieldError::TooLong => "too_long",
        FieldError::Invalid => "invalid",
    }
}

/// Collects the problems of every field, so one answer names them all.
#[derive(Default)]
pub struct Fields(Vec<(&'static str, &'static str)>);

impl Fields {
    /// Notes a problem with `field`; a feature's own kinds of field use it.
    pub fn refuse(&mut self, field: &'static str, problem: &'static str) {
        self.0.push((field, problem));
    }

    /// A text field, missing or null read as empty, checked by `parse`.
    pub fn text(
        &mut self,
        body: &Map<String, Value>,
        field: &'static str,
        parse: impl Fn(&str) -> Result<String, FieldError>,
    ) -> Option<String> {
        let raw = match body.get(field) {
            None | Some(Value::Null) => "",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => {
                self.refuse(field, "must_be_a_string");
                return None;
            }
        };
        parse(raw).map_err(|e| self.refuse(field, problem(e))).ok()
    }

    /// A boolean, false when missing or null.
    pub fn flag(&mut self, body: &Map<String, Value>, field: &'static str) -> bool {
        match body.get(field) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.refuse(field, "must_be_a_boolean");
                false
            }
        }
    }

    /// Refuses the request, naming every problem, if there was any.
    pub fn done(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(
                self.0
                    .into_iter()
                    .map(|(field, problem)| (field.to_owned(), problem))
                    .collect(),
            ))
        }
    }
}
