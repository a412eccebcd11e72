//! `bizosaas`: parse the command line and configuration, then hand over to the library.

use clap::{Parser, Subcommand};

use server::config::Settings;
use server::{seed, shutdown_on_signal, Application};

#[derive(Parser)]
#[command(
    name = "bizosaas",
    version,
    about = "Websites, CMS, dashboard and AI agents in one binary"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Add data to the database.
    Seed {
        /// The demo tenants acme and globex with their owners (only on an empty database).
        #[arg(long)]
        demo: bool,
    },
    /// Create a user as a member of an existing tenant. The password is read from
    /// BIZOSAAS_PASSWORD.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value = "owner")]
        role: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into()),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("bizosaas: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let config = cli.settings.resolve()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            // A debug build's WASM is tens of megabytes and rebuilt often: not worth it.
            if !cfg!(debug_assertions) {
                server::assets::precompress_in_background(
                    &config.leptos.site_root,
                    server::assets::build_hashes(&config.leptos),
                );
            }
            let app = Application::build(config).await?;
            tracing::info!("listening on http://{}", app.local_addr());
            app.run_until_stopped(shutdown_on_signal()).await?;
        }
        Command::Migrate => {
            let db = app::server::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            seed::ensure_platform(&db).await?;
            println!("database is up to date");
        }
        Command::Seed { demo } => {
            if !demo {
                return Err("nothing to seed; did you mean `seed --demo`?".into());
            }
            let db = app::server::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            if seed::demo(&db, Some(&config.media_dir)).await? {
                println!("demo tenants acme and globex created");
            } else {
                println!("database already has tenants; demo data not added");
            }
        }
        Command::CreateUser {
            email,
            name,
            tenant,
            role,
        } => {
            let role = app::tenancy::Role::parse(&role)
                .ok_or("role must be owner, admin, editor or viewer")?;
            let password = std::env::var("BIZOSAAS_PASSWORD")
                .map_err(|_| "set BIZOSAAS_PASSWORD to the new user's password")?;
            if password.chars().count() < 10 {
                return Err("the password must have at least 10 characters".into());
            }
            let db = app::server::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            let tenant = app::tenancy::store::tenant_by_slug(&db, &tenant)
                .await?
                .ok_or_else(|| format!("no tenant with the slug {tenant:?}"))?;
            let hash = app::auth::password::hash(&password).map_err(|e| e.to_string())?;
            let user_id = app::auth::store::create_user(&db.pool, &email, &name, &hash).await?;
            app::auth::store::mark_verified(&db.pool, &user_id).await?;
            app::auth::store::add_membership(&db.pool, &tenant.id, &user_id, role).await?;
            println!("created {email} as {} of {}", role.as_str(), tenant.slug);
        }
    }
    Ok(())
}
