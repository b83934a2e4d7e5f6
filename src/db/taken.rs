//! A write refused for a unique value another request wrote first: checked
//! free beforehand, the value was taken in between, and the answer must be the
//! one the check would have given (the field's error), never 500.

use diesel::result::{DatabaseErrorKind, Error};

use super::DbError;

/// Whether a statement failed on a unique value another request wrote first.
pub fn is_taken(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// A statement that writes a unique value (a name, a username) which was
/// checked to be free beforehand.
pub trait OrTaken<T> {
    fn or_taken<E: From<Error>>(self, taken: E) -> Result<T, E>;
}

impl<T> OrTaken<T> for diesel::QueryResult<T> {
    fn or_taken<E: From<Error>>(self, taken: E) -> Result<T, E> {
        match self {
            Err(error) if is_taken(&error) => Err(taken),
            other => other.map_err(E::from),
        }
    }
}

impl DbError {
    /// Whether a transaction failed on such a write (it is rolled back; the
    /// caller answers as its own check would have).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Query(error) if is_taken(error))
    }
}
