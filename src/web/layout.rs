//! The data the base template needs on every page.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use actix_web_flash_messages::{IncomingFlashMessages, Level};

use crate::i18n::{Lang, Translator};

/// The three areas of the portal, each with its own navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Admin,
    Partner,
    Customer,
}

pub struct NavItem {
    pub href: &'static str,
    pub label_key: &'static str,
}

impl Area {
    pub fn of_path(path: &str) -> Option<Area> {
        let first = path.trim_start_matches('/').split(['/', '?']).next()?;
        match first {
            "admin" => Some(Area::Admin),
            "partner" => Some(Area::Partner),
            "customer" => Some(Area::Customer),
            _ => None,
        }
    }

    pub fn root(self) -> &'static str {
        match self {
            Area::Admin => "/admin",
            Area::Partner => "/partner",
            Area::Customer => "/customer",
        }
    }

    pub fn nav(self) -> &'static [NavItem] {
        match self {
            Area::Admin => &[NavItem {
                href: "/admin",
                label_key: "nav-admin-home",
            }],
            Area::Partner => &[NavItem {
                href: "/partner",
                label_key: "nav-partner-home",
            }],
            Area::Customer => &[NavItem {
                href: "/customer",
                label_key: "nav-customer-home",
            }],
        }
    }
}

pub struct Flash {
    pub css_class: &'static str,
    pub text: String,
}

pub struct Layout {
    pub tr: Translator,
    pub lang: Lang,
    /// Path and query of this page, where the language switch comes back to.
    pub current: String,
    pub area: Option<Area>,
    pub flashes: Vec<Flash>,
}

impl Layout {
    /// A layout without flash messages (error pages).
    pub fn bare(req: &HttpRequest, lang: Lang) -> Self {
        let current = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_owned(),
            None => "/".to_owned(),
        };
        Self {
            tr: lang.translator(),
            lang,
            area: Area::of_path(req.path()),
            current,
            flashes: Vec::new(),
        }
    }

    pub fn nav(&self) -> &'static [NavItem] {
        self.area.map(Area::nav).unwrap_or(&[])
    }

    pub fn is_current(&self, href: &str) -> bool {
        self.current.split('?').next() == Some(href)
    }

    pub fn other_languages(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }
}

impl FromRequest for Layout {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lang = Lang::of_request(req);
        let mut layout = Layout::bare(req, lang);
        // Flash messages carry message ids; they are translated for whoever reads them.
        if let Ok(incoming) = IncomingFlashMessages::extract(req).into_inner() {
            layout.flashes = incoming
                .iter()
                .map(|message| Flash {
                    css_class: match message.level() {
                        Level::Error => "flash error",
                        Level::Warning => "flash warning",
                        Level::Success => "flash success",
                        _ => "flash info",
                    },
                    text: layout.tr.t(message.content()),
                })
                .collect();
        }
        ready(Ok(layout))
    }
}
