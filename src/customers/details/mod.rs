//! One customer as its partner sees it: the details page with its groups,
//! licences, sites and administrator (`load`, `page`), the contact card,
//! renaming, dissociation and the administrator's username.

mod dissociate;
mod load;
mod page;
mod rename;
mod username;

pub use crate::customers::page_error;
pub use dissociate::{dissociate, dissociate_customer, dissociate_form};
pub use load::{Licence, enrolled_devices, licences_of};
pub use page::{contact, page};
pub use rename::{rename, rename_customer};
pub use username::change_username;
