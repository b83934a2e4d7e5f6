//! The API reference as a page of the portal (`/api/v1/reference`), read from
//! the same OpenAPI document `/api/v1/openapi.json` serves, so the two cannot
//! disagree; no script, no CDN. The chrome follows the reader's language; the
//! descriptions are the document's, in English.

use actix_web::HttpResponse;
use askama::Template;
use serde_json::Value;

use crate::web::{PageContext, PageError, render};

/// A piece of a description: text, or code (between backticks in the document).
pub struct Span {
    pub code: bool,
    pub text: String,
}

/// A description cut at its backticks.
fn spans(text: &str) -> Vec<Span> {
    text.split('`')
        .enumerate()
        .filter(|(_, piece)| !piece.is_empty())
        .map(|(i, piece)| Span {
            code: i % 2 == 1,
            text: piece.to_owned(),
        })
        .collect()
}

/// A parameter of an operation, or a property of a schema.
pub struct Field {
    pub name: String,
    /// `query`, `path`, `header`; empty for a property.
    pub location: String,
    pub kind: String,
    pub required: bool,
    pub description: Vec<Span>,
}

pub struct Response {
    pub status: String,
    pub description: Vec<Span>,
    pub schema: Option<String>,
}

pub struct Operation {
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: Vec<Span>,
    pub description: Vec<Span>,
    /// The security schemes (kinds of token) it takes.
    pub tokens: Vec<String>,
    pub scopes: Vec<String>,
    pub parameters: Vec<Field>,
    pub body: Option<String>,
    pub responses: Vec<Response>,
}

pub struct Tag {
    pub name: String,
    pub description: Vec<Span>,
    pub operations: Vec<Operation>,
}

/// A kind of token (a security scheme of the document).
pub struct Token {
    pub name: String,
    pub description: Vec<Span>,
}

pub struct Schema {
    pub name: String,
    pub description: Vec<Span>,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "api_reference.html")]
struct ReferencePage {
    layout: PageContext,
    title: String,
    intro: Vec<Span>,
    tokens: Vec<Token>,
    tags: Vec<Tag>,
    schemas: Vec<Schema>,
}

pub async fn page(layout: PageContext) -> Result<HttpResponse, PageError> {
    let document = serde_json::to_value(super::openapi::document())
        .map_err(|e| PageError::Internal(e.into()))?;
    render(&ReferencePage {
        layout,
        title: text(&document["info"]["title"]),
        intro: spans(&text(&document["info"]["description"])),
        tokens: tokens(&document),
        tags: tags(&document),
        schemas: schemas(&document),
    })
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// A schema's type as a reader says it: `string`, `CustomerBody`,
/// `array of FieldProblemBody`, `string | null`, with its format.
fn kind(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    for combined in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema[combined].as_array() {
            return options.iter().map(kind).collect::<Vec<_>>().join(" | ");
        }
    }
    let base = match &schema["type"] {
        Value::String(name) if name == "array" => format!("array of {}", kind(&schema["items"])),
        Value::String(name) => name.clone(),
        Value::Array(names) => names
            .iter()
            .map(|name| match name.as_str() {
                Some("array") => format!("array of {}", kind(&schema["items"])),
                other => other.unwrap_or_default().to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".to_owned(),
    };
    match schema["format"].as_str() {
        Some(format) => format!("{base} ({format})"),
        None => base,
    }
}

/// The schema named by a body or response's JSON content.
fn content_schema(holder: &Value) -> Option<String> {
    let schema = &holder["content"]["application/json"]["schema"];
    (!schema.is_null()).then(|| kind(schema))
}

fn operation(path: &str, method: &str, op: &Value) -> Operation {
    let parameters = op["parameters"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| Field {
                    name: text(&p["name"]),
                    location: text(&p["in"]),
                    kind: kind(&p["schema"]),
                    required: p["required"].as_bool().unwrap_or(false),
                    description: spans(&text(&p["description"])),
                })
                .collect()
        })
        .unwrap_or_default();
    let responses = op["responses"]
        .as_object()
        .map(|all| {
            all.iter()
                .map(|(status, r)| Response {
                    status: status.clone(),
                    description: spans(&text(&r["description"])),
                    schema: content_schema(r),
                })
                .collect()
        })
        .unwrap_or_default();
    let requirements = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object);
    let tokens = requirements
        .clone()
        .flat_map(|schemes| schemes.keys().cloned())
        .collect();
    let scopes = requirements
        .flat_map(|schemes| schemes.values())
        .filter_map(Value::as_array)
        .flatten()
        .map(text)
        .collect();
    Operation {
        anchor: format!(
            "{method}-{}",
            path.trim_start_matches('/').replace(['/', '{', '}'], "-")
        ),
        method: method.to_uppercase(),
        path: path.to_owned(),
        summary: spans(&text(&op["summary"])),
        description: spans(&text(&op["description"])),
        tokens,
        scopes,
        parameters,
        body: content_schema(&op["requestBody"]),
        responses,
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The operations under their tags, in the document's order of tags.
fn tags(document: &Value) -> Vec<Tag> {
    let mut tags: Vec<Tag> = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| Tag {
            name: text(&t["name"]),
            description: spans(&text(&t["description"])),
            operations: Vec::new(),
        })
        .collect();
    let paths = document["paths"].as_object().into_iter().flatten();
    for (path, item) in paths {
        for method in METHODS {
            let op = &item[method];
            if op.is_null() {
                continue;
            }
            let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
            let position = match tags.iter().position(|t| t.name == tag) {
                Some(position) => position,
                None => {
                    tags.push(Tag {
                        name: tag,
                        description: Vec::new(),
                        operations: Vec::new(),
                    });
                    tags.len() - 1
                }
            };
            tags[position].operations.push(operation(path, method, op));
        }
    }
    tags.retain(|t| !t.operations.is_empty());
    tags
}

/// The kinds of token the document's operations take.
fn tokens(document: &Value) -> Vec<Token> {
    let all = document["components"]["securitySchemes"]
        .as_object()
        .into_iter()
        .flatten();
    all.map(|(name, scheme)| Token {
        name: name.clone(),
        description: spans(&text(&scheme["description"])),
    })
    .collect()
}

/// Every schema of the document with its properties.
fn schemas(document: &Value) -> Vec<Schema> {
    let all = document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten();
    all.map(|(name, schema)| {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let fields = schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(field, property)| Field {
                name: field.clone(),
                location: String::new(),
                kind: kind(property),
                required: required.contains(&field.as_str()),
                description: spans(&text(&property["description"])),
            })
            .collect();
        Schema {
            name: name.clone(),
            description: spans(&text(&schema["description"])),
            fields,
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_read_as_a_reader_says_them() {
        assert_eq!(kind(&json!({"type": "string"})), "string");
        assert_eq!(
            kind(&json!({"type": ["string", "null"], "format": "date"})),
            "string | null (date)"
        );
        assert_eq!(
            kind(&json!({"$ref": "#/components/schemas/CustomerBody"})),
            "CustomerBody"
        );
        assert_eq!(
            kind(&json!({"type": "array", "items": {"$ref": "#/components/schemas/X"}})),
            "array of X"
        );
        assert_eq!(
            kind(&json!({"oneOf": [{"type": "null"}, {"$ref": "#/a/B"}]})),
            "null | B"
        );
    }

    #[test]
    fn backticks_mark_code() {
        let cut = spans("`limit` customers, `50` by default");
        let read: Vec<(bool, &str)> = cut.iter().map(|s| (s.code, s.text.as_str())).collect();
        assert_eq!(
            read,
            vec![
                (true, "limit"),
                (false, " customers, "),
                (true, "50"),
                (false, " by default")
            ]
        );
    }
}
