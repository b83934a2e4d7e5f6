//! The instance's figures for Prometheus, served at `/metrics` to the holder of
//! the metrics token: requests by route and status with their latency, the
//! database pool's use and waits, the outbox's and the import queue's depth and
//! age, failed sign-in checks, emails sent and failed. Counters live in this
//! process; the queues are read from the database when scraped, so every
//! instance reports the same backlog.

use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The content type of the OpenMetrics text format, which Prometheus reads.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route's pattern (`/customers/{id}`), never the path itself, so ids
    /// do not multiply the series.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: String,
}

/// How many rows of a queue are in each state, and the age of its oldest
/// waiting row.
#[derive(Debug, Default)]
pub struct Backlog {
    pub by_state: Vec<(String, i64)>,
    pub oldest_waiting: Option<Duration>,
}

/// Request latencies from a millisecond to ten seconds.
fn latency_buckets() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

/// Waits for a pooled connection, from a tenth of a millisecond to ten seconds.
fn wait_buckets() -> Histogram {
    Histogram::new([
        0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pool_wait: Histogram,
    pool_timeouts: Counter,
    pool_connections: Gauge,
    pool_idle: Gauge,
    outbox: Family<StateLabels, Gauge>,
    outbox_oldest_pending: Gauge,
    imports: Family<StateLabels, Gauge>,
    imports_oldest_waiting: Gauge,
    failed_checks: Family<KindLabels, Counter>,
    emails_sent: Counter,
    emails_failed: Counter,
    import_worker_passes: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut metrics = Self {
            registry: Registry::with_prefix("partnerdesk"),
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_buckets),
            pool_wait: wait_buckets(),
            pool_timeouts: Counter::default(),
            pool_connections: Gauge::default(),
            pool_idle: Gauge::default(),
            outbox: Family::default(),
            outbox_oldest_pending: Gauge::default(),
            imports: Family::default(),
            imports_oldest_waiting: Gauge::default(),
            failed_checks: Family::default(),
            emails_sent: Counter::default(),
            emails_failed: Counter::default(),
            import_worker_passes: Counter::default(),
        };
        metrics.register_all();
        metrics
    }

    fn register_all(&mut self) {
        let r = &mut self.registry;
        r.register(
            "http_requests",
            "Requests answered, by route pattern and status",
            self.requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern",
            self.latency.clone(),
        );
        r.register(
            "db_pool_wait_seconds",
            "Time spent waiting for a pooled database connection",
            self.pool_wait.clone(),
        );
        r.register(
            "db_pool_timeouts",
            "Requests for a database connection that waited out the pool's timeout",
            self.pool_timeouts.clone(),
        );
        r.register(
            "db_pool_connections",
            "Database connections the pool holds",
            self.pool_connections.clone(),
        );
        r.register(
            "db_pool_idle_connections",
            "Database connections idle in the pool",
            self.pool_idle.clone(),
        );
        r.register(
            "outbox_emails",
            "Emails in the outbox, by state",
            self.outbox.clone(),
        );
        r.register(
            "outbox_oldest_pending_seconds",
            "Age of the oldest email waiting to be sent",
            self.outbox_oldest_pending.clone(),
        );
        r.register(
            "import_jobs",
            "Customer import jobs, by state",
            self.imports.clone(),
        );
        r.register(
            "import_oldest_waiting_seconds",
            "Age of the oldest import job waiting for the worker",
            self.imports_oldest_waiting.clone(),
        );
        r.register(
            "failed_secret_checks",
            "Wrong passwords and second-factor codes, by what was checked",
            self.failed_checks.clone(),
        );
        r.register(
            "emails_sent",
            "Emails the outbox worker handed to the mail server",
            self.emails_sent.clone(),
        );
        r.register(
            "emails_failed",
            "Attempts to send an email that failed",
            self.emails_failed.clone(),
        );
        r.register(
            "import_worker_passes",
            "Times the import worker went through every claimable import and found no more",
            self.import_worker_passes.clone(),
        );
    }

    pub fn request_answered(&self, method: &Method, route: String, status: u16, took: Duration) {
        let method = method_label(method);
        self.latency
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(took.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    /// A password or second-factor code was wrong; `kind` says which.
    pub fn secret_check_failed(&self, kind: &'static str) {
        self.failed_checks.get_or_create(&KindLabels { kind }).inc();
    }

    pub fn email_sent(&self) {
        self.emails_sent.inc();
    }

    pub fn email_failed(&self) {
        self.emails_failed.inc();
    }

    /// The import worker found nothing more to claim: it is alive and idle.
    pub fn import_worker_passed(&self) {
        self.import_worker_passes.inc();
    }

    /// The pool's own events (waits, timeouts) reported here.
    pub fn pool_observer(&self) -> PoolObserver {
        PoolObserver {
            wait: self.pool_wait.clone(),
            timeouts: self.pool_timeouts.clone(),
        }
    }

    /// The figures read when scraped, then every figure in the text format.
    /// `backlogs` are the outbox's and the import queue's, when they could be
    /// read; otherwise their last figures stay.
    pub fn scrape(
        &self,
        pool: &diesel::r2d2::State,
        backlogs: Option<(Backlog, Backlog)>,
    ) -> String {
        self.pool_connections.set(i64::from(pool.connections));
        self.pool_idle.set(i64::from(pool.idle_connections));
        self.scrape_figures(backlogs)
    }

    fn scrape_figures(&self, backlogs: Option<(Backlog, Backlog)>) -> String {
        if let Some((outbox, imports)) = backlogs {
            set_backlog(&self.outbox, &self.outbox_oldest_pending, outbox);
            set_backlog(&self.imports, &self.imports_oldest_waiting, imports);
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

fn set_backlog(family: &Family<StateLabels, Gauge>, oldest: &Gauge, backlog: Backlog) {
    family.clear();
    for (state, count) in backlog.by_state {
        family.get_or_create(&StateLabels { state }).set(count);
    }
    let age = backlog.oldest_waiting.map_or(0, |age| age.as_secs());
    oldest.set(i64::try_from(age).unwrap_or(i64::MAX));
}

/// The methods the routes answer; anything else is one label, so a client
/// cannot add series by inventing methods.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::HEAD => "HEAD",
        Method::DELETE => "DELETE",
        _ => "other",
    }
}

/// Hands the pool's checkout waits and timeouts to the metrics.
#[derive(Debug)]
pub struct PoolObserver {
    wait: Histogram,
    timeouts: Counter,
}

impl diesel::r2d2::HandleEvent for PoolObserver {
    fn handle_checkout(&self, event: diesel::r2d2::event::CheckoutEvent) {
        self.wait.observe(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _: diesel::r2d2::event::TimeoutEvent) {
        self.timeouts.inc();
    }
}

/// The middleware counting every answer, by the route that matched
/// (`unmatched` for a path no route has).
pub async fn count_requests(
    metrics: std::sync::Arc<Metrics>,
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let response = next.call(req).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16();
    metrics.request_answered(&method, route, status, started.elapsed());
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scrape_names_each_figure_with_its_labels() {
        let metrics = Metrics::new();
        metrics.request_answered(
            &Method::GET,
            "/customers/{id}".to_owned(),
            200,
            Duration::from_millis(3),
        );
        metrics.secret_check_failed("sign_in");
        let outbox = Backlog {
            by_state: vec![("pending".to_owned(), 2)],
            oldest_waiting: Some(Duration::from_secs(90)),
        };
        let text = metrics.scrape_figures(Some((outbox, Backlog::default())));
        assert!(text.contains(
            "partnerdesk_http_requests_total{method=\"GET\",route=\"/customers/{id}\",status=\"200\"} 1"
        ), "{text}");
        assert!(
            text.contains("partnerdesk_outbox_emails{state=\"pending\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("partnerdesk_outbox_oldest_pending_seconds 90"),
            "{text}"
        );
        assert!(
            text.contains("partnerdesk_failed_secret_checks_total{kind=\"sign_in\"} 1"),
            "{text}"
        );
    }
}
