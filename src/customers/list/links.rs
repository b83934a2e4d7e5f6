//! The links a view makes of itself: its query string, the list URL changed by
//! one filter, a sort or a page, and what a column header says of its order.

use super::view::{DEFAULT_PAGE_SIZE, SortKey, View};

impl View {
    /// The query string of this view, leaving out what is at its default.
    pub fn query_string(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        if let Some(licence) = self.licence {
            query.append_pair("licence", licence.as_str());
        }
        if let Some(billing) = self.billing {
            query.append_pair("billing", billing.as_str());
        }
        if let Some(group) = &self.group {
            query.append_pair("group", group);
        }
        if let Some(health) = self.health {
            query.append_pair("health", health.as_str());
        }
        if let Some(state) = self.state {
            query.append_pair("state", state.as_str());
        }
        if self.mine {
            query.append_pair("mine", "1");
        }
        if self.trials_ended {
            query.append_pair("trial", "ended");
        }
        if let Some((from, to)) = self.trial_ends {
            query.append_pair("trial_ends", &format!("{from}..{to}"));
        }
        if let Some((from, to)) = self.licence_expires {
            query.append_pair("licence_expires", &format!("{from}..{to}"));
        }
        if self.monitors_down {
            query.append_pair("monitors", "down");
        }
        if self.seats_over {
            query.append_pair("seats", "over");
        }
        if self.sort != SortKey::Name {
            query.append_pair("sort", self.sort.as_str());
        }
        if self.descending != self.sort.descending_by_default() {
            query.append_pair("dir", if self.descending { "desc" } else { "asc" });
        }
        if self.page != 1 {
            query.append_pair("page", &self.page.to_string());
        }
        if self.per_page != DEFAULT_PAGE_SIZE {
            query.append_pair("per", &self.per_page.to_string());
        }
        query.finish()
    }

    /// The list URL for this view changed by `change`.
    pub fn link(&self, change: impl FnOnce(&mut View)) -> String {
        let mut changed = self.clone();
        change(&mut changed);
        let query = changed.query_string();
        if query.is_empty() {
            "/partner/customers".to_owned()
        } else {
            format!("/partner/customers?{query}")
        }
    }

    /// The link of a column header: sorts by `key`, or turns the order round when
    /// the list is already sorted by it.
    pub fn sort_link(&self, key: &SortKey) -> String {
        let key = *key;
        self.link(|v| {
            v.descending = if v.sort == key {
                !v.descending
            } else {
                key.descending_by_default()
            };
            v.sort = key;
            v.page = 1;
        })
    }

    pub fn page_link(&self, page: i64) -> String {
        self.link(|v| v.page = page)
    }

    /// This view without its trial-end filter.
    pub fn without_trial_ends(&self) -> String {
        self.link(|v| {
            v.trial_ends = None;
            v.page = 1;
        })
    }

    /// This view without its ended-trials filter.
    pub fn without_trials_ended(&self) -> String {
        self.link(|v| {
            v.trials_ended = false;
            v.page = 1;
        })
    }

    /// This view without its licence-expiry filter.
    pub fn without_licence_expires(&self) -> String {
        self.link(|v| {
            v.licence_expires = None;
            v.page = 1;
        })
    }

    /// This view without its monitors-down filter.
    pub fn without_monitors_down(&self) -> String {
        self.link(|v| {
            v.monitors_down = false;
            v.page = 1;
        })
    }

    /// This view without its over-quantity filter.
    pub fn without_seats_over(&self) -> String {
        self.link(|v| {
            v.seats_over = false;
            v.page = 1;
        })
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, key: &SortKey) -> &'static str {
        match (self.sort == *key, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_link_turns_the_order_round() {
        let by_name = View::default();
        assert!(by_name.sort_link(&SortKey::Name).contains("dir=desc"));
        assert!(by_name.sort_link(&SortKey::Health).contains("sort=health"));
    }
}
