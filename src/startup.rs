//! Builds the application from its settings: pool, mailer, outbox and import
//! workers and routes, bound to the configured address (port 0 in tests) and
//! reporting the real port. One stop signal ([`Shutdown`]) ends it gracefully.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_multipart::form::MultipartFormConfig;
use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, TtlExtensionPolicy};
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, web};
use actix_web_flash_messages::FlashMessagesFramework;
use actix_web_flash_messages::storage::CookieMessageStore;
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::auth::session_store::{DbSessionStore, IDLE_TIMEOUT_MINUTES};
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db;
use crate::email::Mailer;
use crate::email::outbox::OutboxWorker;
use crate::jobs::Shutdown;
use crate::metrics::{self, Metrics};
use crate::rate_limit::ApiRateLimiter;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::csrf::check_csrf;
use crate::web::errors::loggable_path;
use crate::web::errors::{RequestId, assign_request_id, render_error_page};
use crate::web::headers::{BodyLimits, MAX_BODY_BYTES, security_headers};
use crate::web::input::screen_input;
use crate::webhooks::worker::WebhookWorker;
use crate::{customers, routes, second_factor};

pub struct Application {
    port: u16,
    server: Server,
    worker: OutboxWorker,
    imports: customers::import::ImportWorker,
    webhooks: WebhookWorker,
    /// This instance's stop signal. SIGTERM and SIGINT trigger it, and so may the
    /// caller (a test stops an instance in-process the same way): the server
    /// stops accepting and finishes its requests, the import worker hands back or
    /// finishes its job, then `run_until_stopped` returns. Give it to any other
    /// worker that should stop cleanly (see `run_until_stopped`).
    shutdown: Shutdown,
    grace: Duration,
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
        let metrics = Arc::new(Metrics::new());
        let pool = db::connect_observed(
            &settings.database_url,
            settings.db_pool_size,
            settings.db_wait,
            Box::new(metrics.pool_observer()),
        )?;
        let port = listener.local_addr()?.port();
        let wake = Arc::new(Notify::new());
        let shutdown = Shutdown::new();
        let jobs_wake = Arc::new(Notify::new());
        let imports = customers::import::ImportWorker {
            pool: pool.clone(),
            settings: settings.clone(),
            clock: clock.clone(),
            wake: jobs_wake.clone(),
            outbox_wake: wake.clone(),
            metrics: metrics.clone(),
            shutdown: shutdown.clone(),
        };
        let worker = OutboxWorker {
            pool: pool.clone(),
            mailer: Mailer::from_settings(
                settings.smtp_url.as_deref(),
                settings.mail_dir(),
                settings.outbox.send_deadline,
            )?,
            from: settings.mail_from.parse::<Mailbox>()?,
            settings: settings.outbox.clone(),
            clock: clock.clone(),
            wake: wake.clone(),
            metrics: metrics.clone(),
            shutdown: shutdown.clone(),
        };
        let webhooks_wake = Arc::new(Notify::new());
        let webhooks = WebhookWorker {
            pool: pool.clone(),
            settings: settings.clone(),
            clock: clock.clone(),
            wake: webhooks_wake.clone(),
            outbox_wake: wake.clone(),
            shutdown: shutdown.clone(),
        };
        let webauthn = passkeys(&settings)?;
        let state = web::Data::new(AppState {
            settings: settings.clone(),
            pool,
            clock,
            outbox_wake: wake,
            jobs_wake,
            webhooks_wake,
            webauthn,
            metrics,
            partner_api_budget: ApiRateLimiter::per_minute(
                settings.partner_api_requests_per_minute,
            ),
        });
        let server = http_server(state, &settings, listener, &shutdown)?;
        Ok(Self {
            port,
            server,
            worker,
            imports,
            webhooks,
            shutdown,
            grace: settings.jobs.shutdown_grace,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The stop signal of this instance (a clone; triggering it stops it).
    pub fn shutdown(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// Serves until stopped, with the outbox and import workers beside it.
    ///
    /// A stop (SIGTERM, SIGINT, or `shutdown().trigger()`) stops the server taking
    /// requests and the import worker taking jobs at once. The server finishes
    /// the requests it has, and the import worker hands its job back between two
    /// batches of rows or finishes the import transaction it is in, both within
    /// `jobs.shutdown_grace`; then this returns. The outbox worker does not
    /// observe the signal yet and is ended with the rest: an email being sent then
    /// is sent again by the next instance once its claim lapses.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let signals = tokio::spawn(self.shutdown.clone().on_signals());
        let outbox = tokio::spawn(self.worker.run());
        let mut imports = tokio::spawn(self.imports.run());
        let webhooks = tokio::spawn(self.webhooks.run());
        let server = self.server;
        tokio::pin!(server);
        let early = tokio::select! {
            result = &mut server => Some(result),
            _ = self.shutdown.requested() => None,
        };
        // From the stop on, the server and the import worker wind down side by
        // side, both within the same grace period.
        let deadline = tokio::time::Instant::now() + self.grace;
        let result = match early {
            Some(result) => result,
            None => server.await,
        };
        // The server ends on the stop signal, or on an error: either way the
        // workers stop too.
        self.shutdown.trigger();
        match tokio::time::timeout_at(deadline, &mut imports).await {
            Ok(Ok(())) => tracing::info!("import worker stopped"),
            Ok(Err(error)) => tracing::error!(%error, "import worker ended abnormally"),
            Err(_) => {
                tracing::warn!(
                    "import worker still busy after the grace period; its job will be \
                     taken over once its lease runs out"
                );
                imports.abort();
            }
        }
        // An email being sent finishes within its deadline; none is claimed
        // after the stop.
        if tokio::time::timeout_at(deadline, outbox).await.is_err() {
            tracing::warn!("outbox worker still sending after the grace period");
        }
        // A delivery being sent finishes within its timeout; none is claimed
        // after the stop. One cut short is sent again once its lease passes.
        if tokio::time::timeout_at(deadline, webhooks).await.is_err() {
            tracing::warn!("webhook worker still sending after the grace period");
        }
        signals.abort();
        result
    }
}

/// The HTTP server over the routes, with every middleware; stopped by
/// `shutdown` only.
fn http_server(
    state: web::Data<AppState>,
    settings: &Settings,
    listener: TcpListener,
    shutdown: &Shutdown,
) -> anyhow::Result<Server> {
    let cookie_key = Key::derive_from(settings.secret_key.as_bytes());
    let https = settings.uses_https();
    let session_store = DbSessionStore::new(state.pool.clone(), state.clock.clone());
    let (cookie_name, cookie_secure) = session_cookie(settings);
    let metrics = state.metrics.clone();
    let mut server = HttpServer::new(move || {
        let metrics = metrics.clone();
        let flashes = FlashMessagesFramework::builder(
            CookieMessageStore::builder(cookie_key.clone()).build(),
        )
        .build();
        let sessions = sessions(
            session_store.clone(),
            cookie_key.clone(),
            cookie_name.clone(),
            cookie_secure,
        );
        // Middleware listed innermost first.
        App::new()
            .app_data(state.clone())
            .app_data(form_config())
            .app_data(BodyLimits(routes::body_limit))
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES))
            .app_data(multipart_config())
            .configure(routes::register)
            .default_service(web::to(not_found))
            .wrap(flashes)
            .wrap(from_fn(crate::signin::links::speak_the_recipients_language))
            .wrap(from_fn(check_csrf))
            .wrap(from_fn(routes::identity::load_identity))
            .wrap(from_fn(screen_input))
            .wrap(
                ErrorHandlers::new()
                    .default_handler_client(render_error_page)
                    .default_handler_server(render_error_page),
            )
            .wrap(sessions)
            .wrap(from_fn(crate::web::compression::compress_answers))
            .wrap(security_headers(https))
            .wrap(request_logger())
            .wrap(from_fn(assign_request_id))
            .wrap(from_fn(move |req, next| {
                metrics::count_requests(metrics.clone(), req, next)
            }))
    })
    .listen(listener)?
    // Stops gracefully on our signal only; `run_until_stopped` turns SIGTERM
    // and SIGINT into it, so that the workers stop at the same moment.
    .shutdown_signal(shutdown.requested())
    .shutdown_timeout(settings.jobs.shutdown_grace.as_secs());
    if let Some(workers) = settings.http_workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// The relying party of passkeys, when the public address is a domain name.
fn passkeys(settings: &Settings) -> anyhow::Result<Option<Arc<webauthn_rs::Webauthn>>> {
    let webauthn = second_factor::passkeys::relying_party(settings)?.map(Arc::new);
    if webauthn.is_none() {
        tracing::info!(
            base_url = %settings.base_url,
            "passkeys are off: the public address is not a domain name"
        );
    }
    Ok(webauthn)
}

/// Sessions kept in the database, ending with the browser or after
/// `IDLE_TIMEOUT_MINUTES` without a request.
fn sessions(
    store: DbSessionStore,
    key: Key,
    cookie_name: String,
    cookie_secure: bool,
) -> SessionMiddleware<DbSessionStore> {
    SessionMiddleware::builder(store, key)
        .cookie_name(cookie_name)
        .cookie_secure(cookie_secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_path("/".to_owned())
        .cookie_domain(None)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(CookieDuration::minutes(IDLE_TIMEOUT_MINUTES))
                .state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
        )
        .build()
}

/// Forms up to 64 KiB; a larger one is answered 413, a malformed one 400.
fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(64 * 1024)
        .error_handler(|error, _| match error {
            actix_web::error::UrlencodedError::Overflow { .. } => PageError::TooLarge.into(),
            _ => PageError::BadRequest.into(),
        })
}

/// Uploads up to the import's limit; a larger one is answered 413.
fn multipart_config() -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(customers::import::MAX_BYTES)
        .memory_limit(customers::import::MAX_BYTES)
        .error_handler(|error, _| match error {
            actix_multipart::MultipartError::Payload(actix_web::error::PayloadError::Overflow) => {
                PageError::TooLarge.into()
            }
            _ => PageError::BadRequest.into(),
        })
}

fn request_logger() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%{request}xi %s %Dms")
        .custom_request_replace("request", |req| {
            let id = req
                .extensions()
                .get::<RequestId>()
                .map(|id| id.0.clone())
                .unwrap_or_default();
            format!("[{id}] {} {}", req.method(), loggable_path(req.path()))
        })
        .exclude("/health_check")
        .exclude("/ready")
}

/// The session cookie: `__Host-` prefixed and Secure when the portal is served over
/// https, or from a loopback address, where browsers treat plain http as secure.
/// Over plain http elsewhere a Secure cookie would be dropped by the browser, so
/// neither is used there.
pub fn session_cookie(settings: &Settings) -> (String, bool) {
    let loopback = match settings.base_url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if settings.uses_https() || loopback {
        ("__Host-partnerdesk".to_owned(), true)
    } else {
        ("partnerdesk".to_owned(), false)
    }
}

async fn not_found() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
