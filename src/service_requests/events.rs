//! What a service request tells the partner's webhooks.

use super::{Author, Request};

/// `request.opened` or `request.answered` (a message from either side, named
/// by `data.by`): the request, its customer, and who wrote.
pub(super) fn request_event(
    kind: crate::webhooks::EventType,
    request: &Request,
    author: &Author,
) -> crate::webhooks::Event {
    crate::webhooks::Event {
        kind,
        data: serde_json::json!({
            "request": { "id": request.id, "title": request.title, "status": request.status },
            "customer": { "id": request.customer_id.as_str(), "name": request.customer_name },
            "by": { "name": author.name, "side": author.side.as_str() },
        }),
    }
}
