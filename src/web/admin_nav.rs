//! The navigation of the instance operator's area (`/admin`), beside the
//! partner's and the customer's in `page_context.rs`.

use super::page_context::{NavItem, Section};
use crate::access::Access;

/// The instance operator's pages.
pub(super) const ADMIN_NAV: &[NavItem] = &[
    NavItem {
        href: "/admin",
        label_key: "nav-admin-partners",
        access: Access::InstanceOperator,
        section: Section::Customers,
    },
    NavItem {
        href: "/admin/health",
        label_key: "nav-admin-health",
        access: Access::InstanceOperator,
        section: Section::Service,
    },
    NavItem {
        href: "/admin/outbox",
        label_key: "nav-admin-outbox",
        access: Access::InstanceOperator,
        section: Section::Service,
    },
    NavItem {
        href: "/admin/jobs",
        label_key: "nav-admin-jobs",
        access: Access::InstanceOperator,
        section: Section::Service,
    },
    NavItem {
        href: "/admin/catalogue",
        label_key: "nav-admin-catalogue",
        access: Access::InstanceOperator,
        section: Section::Commerce,
    },
    NavItem {
        href: "/admin/activity",
        label_key: "nav-admin-activity",
        access: Access::InstanceOperator,
        section: Section::Activity,
    },
];
