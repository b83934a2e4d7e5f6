//! The command line: `serve [--demo]`, `migrate`, `check`, `backup`, `restore`,
//! `export-partner`, `import-partner`, and the operator's
//! `create-partner`, `offer add|list|retire`, `api-token create|revoke`,
//! `operator grant|revoke`, and `health …` (in `service_health::cli`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::api_tokens;
use crate::commerce::{catalogue, money};
use crate::config::Settings;
use crate::db::partner_archive;
use crate::i18n::Lang;
use crate::instance_log::OperatorActor;
use crate::organisations::{self, input::PartnerInput};
use crate::{clock, db, demo, startup::Application};

#[derive(Parser)]
#[command(
    name = "partnerdesk",
    version,
    about = "The open-source partner portal"
)]
struct Cli {
    /// A TOML settings file (default: ./partnerdesk.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the portal.
    Serve {
        /// Add demo data and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Write a consistent, compressed copy of the SQLite database to FILE while
    /// the portal may go on running (PostgreSQL: use pg_dump).
    Backup { file: PathBuf },
    /// Put the database saved by `backup` in FILE in place of the configured
    /// one, which must not exist yet (PostgreSQL: use pg_restore).
    Restore { file: PathBuf },
    /// Write one partner organisation with its staff, customers, their data
    /// and the activity log to FILE (gzip'd JSON lines, mode 600: it holds
    /// password hashes, keep it like a backup), for `import-partner`.
    ExportPartner { id: String, file: PathBuf },
    /// Import a partner written by `export-partner` into this instance, in one
    /// transaction; refused if any of it is here already.
    ImportPartner { file: PathBuf },
    /// Recompute every derived table and column (counts, flags, history) from
    /// the base tables and list what differs; exits non-zero if anything does.
    Check,
    /// Create a partner organisation with its first owner, and queue the owner's
    /// activation email.
    CreatePartner(NewPartnerArgs),
    /// Record customers' service health: services, incidents and their updates.
    #[command(subcommand)]
    Health(crate::service_health::cli::HealthCommand),
    /// Create or revoke tokens for the JSON API.
    #[command(subcommand)]
    ApiToken(TokenCommand),
    /// Make a login an instance operator (the operator's area, /admin), or
    /// take the role back.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// The catalogue of offers partners order for their customers.
    Offer {
        #[command(subcommand)]
        command: OfferCommand,
    },
}

/// What `create-partner` is given.
#[derive(clap::Args)]
struct NewPartnerArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    owner_username: String,
    /// Defaults to the username when that is an email address.
    #[arg(long)]
    owner_email: Option<String>,
    #[arg(long)]
    owner_name: String,
    /// fr or en.
    #[arg(long, default_value = "en")]
    language: String,
    /// An IANA time zone, e.g. Europe/Paris.
    #[arg(long, default_value = "UTC")]
    time_zone: String,
    /// The id of the distributor this partner belongs to.
    #[arg(long)]
    parent: Option<String>,
    /// Do not require a second factor of the staff (required by default;
    /// the owner can change it on the Security page).
    #[arg(long)]
    second_factor_optional: bool,
}

#[derive(Subcommand)]
enum OfferCommand {
    /// Add an offer to the catalogue and print its id.
    Add {
        #[arg(long)]
        name: String,
        /// usage_subscription, term_subscription or reservation.
        #[arg(long)]
        kind: String,
        /// Per unit and month for subscriptions, per unit for the whole term
        /// for reservations, e.g. 12.50.
        #[arg(long)]
        price: String,
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// 1, 12 or 36 for a term subscription; 12 or 36 for a reservation.
        #[arg(long)]
        term_months: Option<i32>,
    },
    /// List the catalogue, active offers first.
    List,
    /// Take an offer out of the catalogue; what was ordered stays.
    Retire { id: String },
}

/// Instance operators, named by username or email address.
#[derive(Subcommand)]
enum OperatorCommand {
    /// Grant the role to an active login.
    Grant(LoginArgs),
    /// Revoke the role.
    Revoke(LoginArgs),
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct LoginArgs {
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    username: Option<String>,
}

/// The operator's tokens for the JSON API (service health, licence usage).
#[derive(Subcommand)]
enum TokenCommand {
    /// Create an operator token; it is printed once and only its hash is kept.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Revoke a token by its id.
    Revoke {
        #[arg(long)]
        id: String,
    },
}

pub fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("partnerdesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, as text (coloured only on a terminal) or, with
/// `PARTNERDESK_LOG_FORMAT=json`, one JSON object a line for a log collector. Read here, before the settings, so that a
/// settings error is logged in the chosen form too.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    // Colours only for a person at a terminal: a container's or service
    // manager's log keeps plain text, without escape codes.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colours)
        .with_writer(std::io::stderr);
    let json = std::env::var("PARTNERDESK_LOG_FORMAT").is_ok_and(|format| format == "json");
    let _ = if json {
        logs.json().flatten_event(true).try_init()
    } else {
        logs.try_init()
    };
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    tracing::debug!(?settings, "settings loaded");
    match cli.command {
        Command::Serve { demo } => serve(settings, demo),
        Command::Migrate => {
            db::connect(&settings.database_url, 1)?;
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Check => check(&settings),
        Command::Backup { file } => {
            let bytes = db::backup::backup(&settings.database_url, &file)?;
            println!("Backed up to {} ({bytes} bytes).", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            db::backup::restore(&file, &settings.database_url)?;
            db::connect(&settings.database_url, 1)?;
            println!(
                "Restored from {}; the schema is up to date.",
                file.display()
            );
            Ok(())
        }
        Command::ExportPartner { id, file } => export_partner(&settings, &id, &file),
        Command::ImportPartner { file } => import_partner(&settings, &file),
        Command::Health(command) => crate::service_health::cli::health(&settings, command),
        Command::ApiToken(command) => api_token(&settings, command),
        Command::Operator(command) => operator(&settings, command),
        Command::CreatePartner(args) => create_partner(&settings, args),
        Command::Offer { command } => offers(&settings, command),
    }
}

fn create_partner(settings: &Settings, args: NewPartnerArgs) -> anyhow::Result<()> {
    let input = PartnerInput {
        name: args.name,
        owner_username: args.owner_username,
        owner_email: args.owner_email.unwrap_or_default(),
        owner_name: args.owner_name,
        language: args.language,
        time_zone: args.time_zone,
        parent: args.parent,
        second_factor_required: !args.second_factor_optional,
    };
    let new = input.parse().map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|(field, problem)| {
                format!("--{}: {}", field.replace('_', "-"), problem.sentence())
            })
            .collect();
        anyhow::anyhow!(lines.join("; "))
    })?;
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let now = clock::system().now();
    let actor = crate::instance_log::OperatorActor::COMMAND_LINE;
    let created = organisations::create_by_operator(&mut conn, settings, now, actor, &new)?;
    println!("Partner organisation created: {}", created.partner_id);
    if created.owner_is_new {
        println!("The owner's activation email is queued; the running portal sends it.");
    } else {
        println!(
            "The username already has a login: an invitation to own this organisation \
                 is queued for the address given; it becomes owner once that login accepts."
        );
    }
    Ok(())
}

fn operator(settings: &Settings, command: OperatorCommand) -> anyhow::Result<()> {
    use crate::operators::{self, LoginName};
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let now = clock::system().now();
    let (OperatorCommand::Grant(args) | OperatorCommand::Revoke(args)) = &command;
    let name = match (&args.username, &args.email) {
        (Some(username), _) => LoginName::Username(username),
        (None, Some(email)) => LoginName::Email(email),
        (None, None) => anyhow::bail!("name the login with --email or --username"),
    };
    let actor = OperatorActor::COMMAND_LINE;
    match command {
        OperatorCommand::Grant(_) => {
            let username = operators::grant(&mut conn, now, actor, &name)?;
            println!("{username} is now an instance operator (/admin).");
        }
        OperatorCommand::Revoke(_) => {
            let username = operators::revoke(&mut conn, now, actor, &name)?;
            println!("{username} is no longer an instance operator.");
        }
    }
    Ok(())
}

fn check(settings: &Settings) -> anyhow::Result<()> {
    let backend = db::Backend::from_url(&settings.database_url)?;
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let differences = db::derived::differences(&mut conn)?;
    for difference in &differences {
        println!(
            "{}  {}  stored {}, expected {}",
            difference.derived, difference.key, difference.stored, difference.expected
        );
    }
    if !differences.is_empty() {
        anyhow::bail!(
            "{} derived values differ from the base tables",
            differences.len()
        );
    }
    println!(
        "Derived data matches the base tables: {}.",
        db::derived::checked(backend).join(", ")
    );
    Ok(())
}

fn export_partner(settings: &Settings, id: &str, file: &std::path::Path) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let summary = partner_archive::export(&mut conn, id, clock::system().now(), file)?;
    println!(
        "Exported {} ({}) to {}: {} rows.",
        summary.partner_name,
        summary.partner_id,
        file.display(),
        summary.rows()
    );
    println!("The file holds password hashes and second-factor secrets: keep it like a backup.");
    Ok(())
}

fn import_partner(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let summary = partner_archive::import(&mut conn, file)?;
    println!(
        "Imported {} ({}): {} rows.",
        summary.partner_name,
        summary.partner_id,
        summary.rows()
    );
    println!(
        "Sign-ins, one-time links and unsent emails stayed behind: pending invitations \
         need sending again, and passkeys work only under the same domain name."
    );
    Ok(())
}

fn offers(settings: &Settings, command: OfferCommand) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    match command {
        OfferCommand::Add {
            name,
            kind,
            price,
            currency,
            term_months,
        } => {
            let offer = catalogue::NewOffer::parse(&name, &kind, &price, &currency, term_months)?;
            let actor = OperatorActor::COMMAND_LINE;
            let id = catalogue::add_by_operator(&mut conn, clock::system().now(), actor, &offer)?;
            println!("Offer added: {id}");
        }
        OfferCommand::List => {
            for offer in catalogue::all(&mut conn)? {
                println!(
                    "{}  {}  {}  {}  {} months  {}",
                    offer.id,
                    offer.kind,
                    money::format(offer.unit_price_cents, &offer.currency, Lang::En),
                    offer.name,
                    offer.term_months,
                    if offer.active { "active" } else { "retired" },
                );
            }
        }
        OfferCommand::Retire { id } => {
            let actor = OperatorActor::COMMAND_LINE;
            if catalogue::retire_by_operator(&mut conn, clock::system().now(), actor, &id)?
                .is_none()
            {
                anyhow::bail!("no active offer has the id {id}");
            }
            println!("Offer retired: {id}");
        }
    }
    Ok(())
}

fn serve(mut settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    // The demo runs on one machine: its webhooks may go to a receiver there.
    settings.webhooks.allow_http_loopback |= with_demo;
    actix_web::rt::System::new().block_on(async move {
        let demo = if with_demo {
            let pool = db::connect(&settings.database_url, 1)?;
            let settings = settings.clone();
            actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<_> {
                let passwords = demo::DemoPasswords::new()?;
                let mut conn = pool.get()?;
                Ok(Some(demo::seed(
                    &mut conn,
                    &settings,
                    clock::system().now(),
                    passwords,
                )?))
            })
            .await??
        } else {
            None
        };
        let application = Application::build(settings.clone(), clock::system())?;
        let address = format!(
            "http://{}:{}/",
            bind_host(&settings.bind),
            application.port()
        );
        println!("Partnerdesk is running at {address}");
        if let Some(demo) = &demo {
            println!("Demo logins (username, password, role):");
            for login in &demo.logins {
                println!("  {}  {}  {}", login.username, login.password, login.role);
            }
            println!("Demo partner API token (every scope): {}", demo.api_token);
            println!("Demo monitoring API token: {}", demo.monitoring_token);
        }
        application.run_until_stopped().await?;
        Ok(())
    })
}

fn bind_host(bind: &str) -> &str {
    match bind.rsplit_once(':') {
        Some(("0.0.0.0", _)) | Some(("[::]", _)) => "127.0.0.1",
        Some((host, _)) => host,
        None => bind,
    }
}

/// The longest name of an operator token.
const TOKEN_NAME_MAX: usize = 80;

fn api_token(settings: &Settings, command: TokenCommand) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let now = clock::system().now();
    match command {
        TokenCommand::Create { name } => {
            let name = crate::accounts::required_text(&name, TOKEN_NAME_MAX)
                .map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            let (id, token) = api_tokens::create_operator_token(&mut conn, now, &name)?;
            println!("Token id: {id}");
            println!("Token (shown only now; keep it secret): {token}");
        }
        TokenCommand::Revoke { id } => {
            if !api_tokens::revoke(&mut conn, now, &id)? {
                anyhow::bail!("--id: no such live token");
            }
            println!("Token revoked.");
        }
    }
    Ok(())
}
