//! The request's context for a page: who is asking and in which membership, the
//! language and its messages, the flash messages, and the navigation they may
//! see; the base template reads it on every page.

use std::future::{Ready, ready};

use actix_session::SessionExt;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use actix_web_flash_messages::{IncomingFlashMessages, Level};

use crate::access::{Access, Capability, CustomerCapability, Decision, decide};
use crate::auth::identity::Identity;
use crate::auth::session::TypedSession;
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
    pub access: Access,
    /// The section of the navigation the item is listed under.
    pub section: Section,
}

/// The few sections the navigation is grouped into, so that the bar holds on one
/// line in either language: the sections in the bar, the current section's
/// pages in a second bar under it, and everything in one list behind the menu
/// button on a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Customers,
    Monitoring,
    Service,
    Commerce,
    Activity,
    Settings,
}

impl Section {
    pub fn label_key(self) -> &'static str {
        match self {
            Section::Home => "nav-section-home",
            Section::Customers => "nav-section-customers",
            Section::Monitoring => "nav-section-monitoring",
            Section::Service => "nav-section-service",
            Section::Commerce => "nav-section-commerce",
            Section::Activity => "nav-section-activity",
            Section::Settings => "nav-section-settings",
        }
    }
}

/// One section of the navigation with the pages this person may open in it.
pub struct NavSection {
    pub section: Section,
    pub items: Vec<&'static NavItem>,
    /// Whether the page shown is one of the section's (or under one of them).
    pub current: bool,
}

impl NavSection {
    /// Where the section's entry in the bar leads: its first page.
    pub fn href(&self) -> &'static str {
        self.items.first().map(|i| i.href).unwrap_or("/")
    }

    /// A section of one page is shown as that page.
    pub fn label_key(&self) -> &'static str {
        match self.items.as_slice() {
            [only] => only.label_key,
            _ => self.section.label_key(),
        }
    }

    pub fn has_pages(&self) -> bool {
        self.items.len() > 1
    }
}

/// The partner area's pages, in the order of their sections.
const PARTNER_NAV: &[NavItem] = &[
    NavItem {
        href: "/partner",
        label_key: "nav-partner-home",
        access: Access::Partner(Capability::SeePartnerHome),
        section: Section::Home,
    },
    NavItem {
        href: "/partner/customers",
        label_key: "nav-customers",
        access: Access::Partner(Capability::SeeCustomers),
        section: Section::Customers,
    },
    NavItem {
        href: "/partner/groups",
        label_key: "nav-groups",
        access: Access::Partner(Capability::ManageCustomerGroups),
        section: Section::Customers,
    },
    NavItem {
        href: "/partner/resellers",
        label_key: "nav-resellers",
        access: Access::Partner(Capability::ManageResellers),
        section: Section::Customers,
    },
    NavItem {
        href: "/partner/requests",
        label_key: "nav-requests",
        access: Access::Partner(Capability::ServiceRequestsOnBehalf),
        section: Section::Service,
    },
    NavItem {
        href: "/partner/activity",
        label_key: "nav-activity",
        access: Access::Partner(Capability::SeeActivityLog),
        section: Section::Activity,
    },
    NavItem {
        href: "/partner/staff",
        label_key: "nav-staff",
        access: Access::Partner(Capability::ManageStaff),
        section: Section::Settings,
    },
    NavItem {
        href: "/partner/api-tokens",
        label_key: "nav-partner-api-tokens",
        access: Access::Partner(Capability::ManageApiTokens),
        section: Section::Settings,
    },
    NavItem {
        href: "/partner/webhooks",
        label_key: "nav-partner-webhooks",
        access: Access::Partner(Capability::ManageWebhooks),
        section: Section::Settings,
    },
    NavItem {
        href: "/partner/distributor-assistance",
        label_key: "nav-distributor-assistance",
        access: Access::Partner(Capability::ManageDistributorAssistance),
        section: Section::Settings,
    },
    NavItem {
        href: "/help/roles",
        label_key: "nav-roles-help",
        access: Access::SignedIn,
        section: Section::Settings,
    },
];

/// The customer console's pages, in the order of their sections.
const CUSTOMER_NAV: &[NavItem] = &[
    NavItem {
        href: "/customer",
        label_key: "nav-customer-home",
        access: Access::Customer(CustomerCapability::SeeConsoleHome),
        section: Section::Home,
    },
    NavItem {
        href: "/customer/monitors",
        label_key: "nav-customer-monitors",
        access: Access::Customer(CustomerCapability::SeeMonitors),
        section: Section::Monitoring,
    },
    NavItem {
        href: "/customer/dashboards",
        label_key: "nav-customer-dashboards",
        access: Access::Customer(CustomerCapability::SeeMonitors),
        section: Section::Monitoring,
    },
    NavItem {
        href: "/customer/alerts",
        label_key: "nav-customer-alerts",
        access: Access::Customer(CustomerCapability::SeeMonitors),
        section: Section::Monitoring,
    },
    NavItem {
        href: "/customer/health",
        label_key: "nav-customer-health",
        access: Access::Customer(CustomerCapability::SeeServiceHealth),
        section: Section::Service,
    },
    NavItem {
        href: "/customer/requests",
        label_key: "nav-customer-requests",
        access: Access::Customer(CustomerCapability::ServiceRequests),
        section: Section::Service,
    },
    NavItem {
        href: "/customer/orders",
        label_key: "nav-customer-orders",
        access: Access::Customer(CustomerCapability::SeeOrders),
        section: Section::Commerce,
    },
    NavItem {
        href: "/customer/subscriptions",
        label_key: "nav-customer-subscriptions",
        access: Access::Customer(CustomerCapability::SeeOrders),
        section: Section::Commerce,
    },
    NavItem {
        href: "/customer/reservations",
        label_key: "nav-customer-reservations",
        access: Access::Customer(CustomerCapability::SeeOrders),
        section: Section::Commerce,
    },
    NavItem {
        href: "/customer/users",
        label_key: "nav-customer-users",
        access: Access::Customer(CustomerCapability::SeeUsers),
        section: Section::Settings,
    },
    NavItem {
        href: "/customer/sites",
        label_key: "nav-customer-sites",
        access: Access::Customer(CustomerCapability::SeeAccount),
        section: Section::Settings,
    },
    NavItem {
        href: "/customer/sub-accounts",
        label_key: "nav-customer-sub-accounts",
        access: Access::Customer(CustomerCapability::ManageSubAccounts),
        section: Section::Settings,
    },
    NavItem {
        href: "/customer/api-tokens",
        label_key: "nav-customer-api-tokens",
        access: Access::Customer(CustomerCapability::ManageApiTokens),
        section: Section::Settings,
    },
    NavItem {
        href: "/customer/assistance",
        label_key: "nav-customer-assistance",
        access: Access::Customer(CustomerCapability::SeeAccount),
        section: Section::Settings,
    },
    NavItem {
        href: "/customer/activity",
        label_key: "nav-customer-activity",
        access: Access::Customer(CustomerCapability::SeeActivity),
        section: Section::Settings,
    },
];

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

    fn nav(self) -> &'static [NavItem] {
        match self {
            Area::Partner => PARTNER_NAV,
            Area::Customer => CUSTOMER_NAV,
            Area::Admin => super::admin_nav::ADMIN_NAV,
        }
    }
}

pub struct Flash {
    pub css_class: &'static str,
    pub text: String,
}

pub struct PageContext {
    pub tr: Translator,
    pub lang: Lang,
    /// Path and query of this page, where the language switch comes back to.
    pub current: String,
    pub area: Option<Area>,
    pub flashes: Vec<Flash>,
    pub identity: Option<Identity>,
    pub csrf_token: String,
}

impl PageContext {
    /// A layout without flash messages (error pages).
    pub fn bare(req: &HttpRequest, lang: Lang) -> Self {
        let current = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_owned(),
            None => "/".to_owned(),
        };
        let identity = Identity::of_request(req);
        let area = Area::of_path(req.path()).or_else(|| {
            identity
                .as_ref()
                .and_then(|i| i.membership.as_ref())
                .map(|m| match m.scope {
                    crate::auth::identity::MembershipScope::Partner { .. } => Area::Partner,
                    crate::auth::identity::MembershipScope::Customer { .. } => Area::Customer,
                })
        });
        Self {
            tr: lang.translator(),
            lang,
            area,
            current,
            flashes: Vec::new(),
            csrf_token: TypedSession::of(req.get_session()).csrf_token(),
            identity,
        }
    }

    /// The navigation of the area, limited to what this person may open.
    pub fn nav(&self) -> Vec<&'static NavItem> {
        let items = self.area.map(Area::nav).unwrap_or(&[]);
        items
            .iter()
            .filter(|item| {
                decide(item.access, self.identity.as_ref().map(Identity::requester))
                    == Decision::Allow
            })
            .collect()
    }

    /// The navigation grouped into its sections, in order, each with the pages
    /// this person may open; the section of the page shown is marked current.
    pub fn nav_sections(&self) -> Vec<NavSection> {
        let current_href = self.current_page_href();
        let mut sections: Vec<NavSection> = Vec::new();
        for item in self.nav() {
            let current = current_href == Some(item.href);
            match sections.last_mut() {
                Some(last) if last.section == item.section => {
                    last.items.push(item);
                    last.current |= current;
                }
                _ => sections.push(NavSection {
                    section: item.section,
                    items: vec![item],
                    current,
                }),
            }
        }
        sections
    }

    /// The page of the navigation the page shown is, or is under: the one whose
    /// address is the longest start of this one (`/customer` alone only for
    /// itself).
    pub fn current_page_href(&self) -> Option<&'static str> {
        let here = self.current.split('?').next().unwrap_or("/");
        self.nav()
            .into_iter()
            .filter(|item| {
                here == item.href
                    || (item.href.matches('/').count() > 1
                        && here
                            .strip_prefix(item.href)
                            .is_some_and(|rest| rest.starts_with('/')))
            })
            .max_by_key(|item| item.href.len())
            .map(|item| item.href)
    }

    /// Whether the page shown is under `href` without being it (a monitor under
    /// the monitors): its entry is marked, not announced as the current page.
    pub fn is_under(&self, href: &str) -> bool {
        self.current_page_href() == Some(href) && !self.is_current(href)
    }

    /// The section of the page shown when it has several pages: the second bar.
    pub fn current_section(&self) -> Option<NavSection> {
        self.nav_sections()
            .into_iter()
            .find(|s| s.current && s.has_pages())
    }

    /// Whether the person may do what `capability` names, for links to pages
    /// of another area of the partner's work.
    pub fn partner_may(&self, capability: Capability) -> bool {
        decide(
            Access::Partner(capability),
            self.identity.as_ref().map(Identity::requester),
        ) == Decision::Allow
    }

    /// Whether the person may do what `capability` names in the console (for
    /// an operator: as far as the sub-account allows).
    pub fn customer_may(&self, capability: CustomerCapability) -> bool {
        decide(
            Access::Customer(capability),
            self.identity.as_ref().map(Identity::requester),
        ) == Decision::Allow
    }

    /// `partner_may` for service requests, which templates cannot name directly.
    pub fn may_serve_requests(&self) -> bool {
        self.partner_may(Capability::ServiceRequestsOnBehalf)
    }

    pub fn is_current(&self, href: &str) -> bool {
        self.current.split('?').next() == Some(href)
    }

    pub fn other_languages(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }

    /// The name of the organisation or account the person acts for, if chosen.
    pub fn acting_for(&self) -> Option<&str> {
        self.identity
            .as_ref()?
            .membership
            .as_ref()
            .map(|m| m.tenant_name.as_str())
    }

    /// Switching is for one's own memberships; inside a customer's console through
    /// "open customer", or a reseller's portal, the way back is the banner's
    /// leave button.
    pub fn can_switch(&self) -> bool {
        self.identity.as_ref().is_some_and(|i| {
            i.memberships.len() > 1 && i.assisting.is_none() && i.assisting_reseller.is_none()
        })
    }

    /// The customer a partner member works on: (id, name).
    pub fn customer_context(&self) -> Option<&(String, String)> {
        let identity = self.identity.as_ref()?;
        if identity.assisting.is_some() {
            return None;
        }
        identity.customer_context.as_ref()
    }

    /// The reader's time zone: the signed-in person's, else UTC.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.identity
            .as_ref()
            .map_or(chrono_tz::UTC, |i| i.login.time_zone)
    }

    /// "Times are in Paris time (Europe/Paris).", for a page that shows times.
    pub fn times_note(&self) -> String {
        crate::places::zones::times_note(self.zone(), &self.tr)
    }
}

impl FromRequest for PageContext {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lang = Lang::of_request(req);
        let mut layout = PageContext::bare(req, lang);
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
