//! Removing one named thing from the console (a monitor, a dashboard, an alert
//! definition, an API token): the same post is rehearsed and reviewed until it
//! is confirmed, then done, with a flash message and a way back to the list.

use actix_web::HttpResponse;
use actix_web_flash_messages::FlashMessage;

use crate::auth::identity::CustomerMember;
use crate::db::{DbConnection, DbError};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::{Confirmed, removal};
use crate::web::{PageContext, PageError, see_other};

/// The page answer of a console change's error that no form shows: its thing
/// missing (404), the database failing (500), anything else refused (400).
/// The error type has `NotFound` and `Database(DbError)` among its variants.
macro_rules! page_error_from {
    ($error:ident) => {
        impl From<$error> for $crate::web::PageError {
            fn from(error: $error) -> Self {
                match error {
                    $error::NotFound => $crate::web::PageError::NotFound,
                    $error::Database(e) => e.into(),
                    _ => $crate::web::PageError::BadRequest,
                }
            }
        }
    };
}
pub(crate) use page_error_from;

/// What the review and the answer of one kind of removal say.
pub struct Removal {
    /// Where the review's Confirm posts: the removal's own address.
    pub action: String,
    /// Where the review's Back goes.
    pub back: String,
    pub heading_key: &'static str,
    pub summary_key: &'static str,
    /// The Confirm button's words, when the heading does not fit it.
    pub confirm_key: Option<&'static str>,
    pub flash_key: &'static str,
    /// Where the person lands once it is gone.
    pub done: &'static str,
    /// Whether the person has confirmed it already.
    pub confirmed: Confirmed,
}

impl Removal {
    /// Removing the thing shown at `page`, which the review goes back to; its
    /// Confirm posts to `{page}/delete`.
    pub fn from_page(
        page: String,
        keys: [&'static str; 3],
        done: &'static str,
        confirmed: Confirmed,
    ) -> Removal {
        let [heading_key, summary_key, flash_key] = keys;
        Removal {
            action: format!("{page}/delete"),
            back: page,
            heading_key,
            summary_key,
            confirm_key: None,
            flash_key,
            done,
            confirmed,
        }
    }
}

impl Removal {
    /// Runs `work` (which removes the thing and answers its name) once the
    /// person has confirmed; until then only rehearses it, to show what would go.
    pub async fn run<E>(
        self,
        state: &AppState,
        layout: PageContext,
        member: &CustomerMember,
        work: impl FnOnce(&mut DbConnection, &CustomerChange) -> Result<String, E> + Send + 'static,
    ) -> Result<HttpResponse, PageError>
    where
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
        PageError: From<E>,
    {
        let confirmed = self.confirmed;
        let name = CustomerChange::run_once_confirmed(state, member, confirmed, work).await?;
        if !confirmed.yes() {
            let tr = &layout.tr;
            let (heading, summary) = (self.heading_key, self.summary_key);
            let mut review = removal(tr, heading, summary, &name, self.action, self.back);
            if let Some(key) = self.confirm_key {
                review = review.confirm_label(tr, key);
            }
            return review.render(layout);
        }
        FlashMessage::success(self.flash_key).send();
        Ok(see_other(self.done))
    }
}
