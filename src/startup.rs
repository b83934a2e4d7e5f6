//! Builds the application from its settings: pool, mailer, outbox worker and routes,
//! bound to the configured address (port 0 in tests) and reporting the real port.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::cookie::Key;
use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use actix_web_flash_messages::FlashMessagesFramework;
use actix_web_flash_messages::storage::CookieMessageStore;
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::email::Mailer;
use crate::email::outbox::OutboxWorker;
use crate::web::headers::{MAX_BODY_BYTES, security_headers};
use crate::web::{PageError, errors::render_error_page};
use crate::{home, web as pages};

/// Shared by every request handler.
pub struct AppState {
    pub settings: Settings,
    pub pool: DbPool,
    pub clock: SharedClock,
    /// Wakes the outbox worker when a request has just queued an email.
    pub outbox_wake: Arc<Notify>,
}

pub struct Application {
    port: u16,
    server: Server,
    worker: OutboxWorker,
}

impl Application {
    pub fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)?;
        Self::build_on(settings, listener, clock)
    }

    /// Builds on a listener bound by the caller (tests bind port 0 first, so the
    /// public address in email links can name the real port).
    pub fn build_on(
        settings: Settings,
        listener: TcpListener,
        clock: SharedClock,
    ) -> anyhow::Result<Self> {
        let pool = db::connect(&settings.database_url, settings.db_pool_size)?;
        let port = listener.local_addr()?.port();
        let wake = Arc::new(Notify::new());
        let worker = OutboxWorker {
            pool: pool.clone(),
            mailer: Mailer::from_settings(settings.smtp_url.as_deref(), settings.mail_dir())?,
            from: settings.mail_from.parse::<Mailbox>()?,
            settings: settings.outbox.clone(),
            clock: clock.clone(),
            wake: wake.clone(),
        };
        let state = web::Data::new(AppState {
            settings: settings.clone(),
            pool,
            clock,
            outbox_wake: wake,
        });
        let flash_key = Key::derive_from(settings.secret_key.as_bytes());
        let https = settings.uses_https();
        let mut server = HttpServer::new(move || {
            let flashes = FlashMessagesFramework::builder(
                CookieMessageStore::builder(flash_key.clone()).build(),
            )
            .build();
            App::new()
                .app_data(state.clone())
                .app_data(
                    web::FormConfig::default()
                        .limit(64 * 1024)
                        .error_handler(|_, _| PageError::BadRequest.into()),
                )
                .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
                .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES))
                .configure(routes)
                .wrap(flashes)
                .wrap(from_fn(reject_oversized_bodies))
                .wrap(
                    ErrorHandlers::new()
                        .default_handler_client(render_error_page)
                        .default_handler_server(render_error_page),
                )
                .wrap(security_headers(https))
                .wrap(request_logger())
        })
        .listen(listener)?;
        if let Some(workers) = settings.http_workers {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped; the outbox worker runs beside it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = tokio::spawn(self.worker.run());
        let result = self.server.await;
        worker.abort();
        result
    }
}

fn request_logger() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%{request}xi %s %Dms")
        .custom_request_replace("request", |req| {
            format!("{} {}", req.method(), loggable_path(req.path()))
        })
        .exclude("/health_check")
}

/// One-time tokens travel in link paths; they must not reach the log.
fn loggable_path(path: &str) -> String {
    const SECRET_PATHS: [&str; 2] = ["/activate/", "/reset-password/"];
    for prefix in SECRET_PATHS {
        if path.starts_with(prefix) {
            return format!("{prefix}…");
        }
    }
    path.to_owned()
}

/// Every route of the application.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::index))
        .route("/health_check", web::get().to(health_check))
        .route("/language", web::post().to(pages::language::switch))
        .route("/static/{path:.*}", web::get().to(pages::assets::serve))
        .default_service(web::to(not_found));
}

async fn health_check() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

async fn not_found() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}

/// Refuses a declared body above the cap before anything reads it.
async fn reject_oversized_bodies(
    req: actix_web::dev::ServiceRequest,
    next: Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
        let response = HttpResponse::PayloadTooLarge().finish();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req).await.map(|res| res.map_into_left_body())
}
