//! How often a session's row is written. Every write to the SQLite database
//! makes each other pooled connection drop its cache and its map of the file
//! before its next read, so requests that only read must not write.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::DbConnection;
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// A page and the requests a browser sends beside it share one session: when
/// the idle expiry is due to move on, one of them writes it, not each.
#[tokio::test]
async fn overlapping_requests_of_one_session_move_its_expiry_once() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    // Counted by a trigger, which a pooled PostgreSQL database would keep for
    // the next test: the store's logic is the same on both backends.
    let DbConnection::Sqlite(sqlite) = &mut *conn else {
        return;
    };
    sqlite
        .batch_execute(
            "CREATE TABLE session_expiry_writes (n INTEGER NOT NULL);
             CREATE TRIGGER count_session_expiry_writes AFTER UPDATE OF idle_expires_at ON sessions
             BEGIN INSERT INTO session_expiry_writes (n) VALUES (1); END;",
        )
        .expect("count the writes of idle expiries");
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.sign_in("sam@contoso.example", PASSWORD).await;
    let writes = |conn: &mut DbConnection| {
        diesel::sql_query("SELECT COUNT(*) AS n FROM session_expiry_writes")
            .get_result::<Count>(conn)
            .expect("count the writes")
            .n
    };
    let before = writes(&mut conn);

    for round in 1..=3 {
        app.clock.advance(chrono::Duration::minutes(2));
        let answers =
            futures_util::future::join_all((0..8).map(|_| app.get("/partner/customers"))).await;
        assert!(answers.iter().all(|a| a.status() == 200));
        assert_eq!(
            writes(&mut conn) - before,
            round,
            "one write of the idle expiry for eight requests, in round {round}"
        );
    }
}
