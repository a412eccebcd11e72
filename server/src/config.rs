//! Configuration: one declarative list of settings, each from a flag or an environment
//! variable with a default that makes `bizosaas` run on a laptop with no set-up
//! (`bizosaas serve --help` lists them), resolved into the `Config` the server runs with.

use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/bizosaas.db";

/// Every setting, as `bizosaas --help` shows it.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(
        long,
        env = "BIZOSAAS_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// The database: `sqlite://path` (embedded; created when missing) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// The platform's domain: tenant sites are served at `{slug}.{base domain}`.
    #[arg(
        long,
        env = "BIZOSAAS_BASE_DOMAIN",
        default_value = "localhost",
        global = true
    )]
    pub base_domain: String,
    /// Served over HTTPS (behind a TLS proxy): session cookies are Secure and the sites'
    /// canonical URLs start with https.
    #[arg(long, env = "BIZOSAAS_HTTPS", global = true, value_parser = clap::builder::BoolishValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub https: bool,
    /// Behind a reverse proxy: visitors' IPs (rate limits, visitor counts) come from the
    /// last X-Forwarded-For entry. Never set it when clients reach the binary directly.
    #[arg(long, env = "BIZOSAAS_TRUST_PROXY", global = true, value_parser = clap::builder::BoolishValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub trust_proxy: bool,
    /// Jobs this process runs at once (0 to 64); 0 makes a web-only process.
    #[arg(long, env = "BIZOSAAS_JOB_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=64), global = true)]
    pub job_workers: u8,
    /// The DNS server (`ip:port`) custom-domain checks ask; the system's resolvers when unset.
    #[arg(long, env = "BIZOSAAS_DNS_SERVER", global = true)]
    pub dns_server: Option<String>,
    /// Where uploaded files are kept.
    #[arg(
        long,
        env = "BIZOSAAS_MEDIA_DIR",
        default_value = "data/media",
        global = true
    )]
    pub media_dir: std::path::PathBuf,
    /// An OpenAI-compatible chat API agents write with (e.g. `http://localhost:11434/v1`);
    /// without one, drafts come from templates.
    #[arg(long, env = "BIZOSAAS_LLM_URL", global = true)]
    pub llm_url: Option<String>,
    /// The language model to ask.
    #[arg(
        long,
        env = "BIZOSAAS_LLM_MODEL",
        default_value = "llama3.2",
        global = true
    )]
    pub llm_model: String,
    /// The language model API's key, if it needs one.
    #[arg(
        long,
        env = "BIZOSAAS_LLM_API_KEY",
        global = true,
        hide_env_values = true
    )]
    pub llm_api_key: Option<String>,
    /// Where email goes (`smtp://user:pass@host:587?tls=required`, `smtps://...`); without
    /// it, email is kept in the outbox.
    #[arg(long, env = "BIZOSAAS_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Who email is from (`Name <address>`); `BizOSaaS <digest@{base domain}>` when unset.
    #[arg(long, env = "BIZOSAAS_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Where people reach the dashboard (`https://app.example.com`), for links in email;
    /// the base domain with the listening port when unset.
    #[arg(long, env = "BIZOSAAS_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Megabytes of memory for what the process keeps to serve sites fast: rendered pages
    /// (with their compressed bodies), tenants and custom domains. Past it the oldest
    /// entries are dropped and read again when asked for.
    #[arg(long, env = "BIZOSAAS_CACHE_MB", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=65536), global = true)]
    pub cache_mb: u32,
    /// Connections served at once; more wait until one closes.
    #[arg(long, env = "BIZOSAAS_MAX_CONNECTIONS", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers (and to start its next request
    /// on a kept-alive connection).
    #[arg(long, env = "BIZOSAAS_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3600), global = true)]
    pub header_timeout: u32,
    /// Seconds a connection may stay with nothing sent either way (a stalled upload, a
    /// reader that stopped) before it is closed.
    #[arg(long, env = "BIZOSAAS_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=86400), global = true)]
    pub idle_timeout: u32,
    /// The key that seals secrets kept in the database (two-factor secrets): 64 hex
    /// characters (`openssl rand -hex 32`). Required on PostgreSQL; on SQLite one is made
    /// beside the database file (`….db.secret-key`) when unset. Back it up: without it,
    /// two-factor sign-in falls back to recovery codes.
    #[arg(
        long,
        env = "BIZOSAAS_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    pub secret_key: Option<String>,
    /// The site options (`Leptos.toml`; LEPTOS_* variables override); defaults when the
    /// file is missing, so a deployed binary needs only its `site` folder.
    #[arg(
        long,
        env = "BIZOSAAS_LEPTOS_TOML",
        default_value = "Leptos.toml",
        global = true
    )]
    pub leptos_toml: String,
}

/// The settings, checked and resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub base_domain: String,
    pub https: bool,
    pub trust_proxy: bool,
    pub job_workers: usize,
    pub dns_server: Option<SocketAddr>,
    pub media_dir: std::path::PathBuf,
    pub llm: Option<app::server::LanguageModel>,
    pub mail: Option<app::server::MailServer>,
    pub public_url: Option<String>,
    /// None: made beside a SQLite database (`SecretKey::for_database`).
    pub secret_key: Option<String>,
    pub connections: crate::connections::Limits,
    /// Bytes of the sites' cache (`BIZOSAAS_CACHE_MB`).
    pub cache_bytes: usize,
    pub leptos: leptos::config::LeptosOptions,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("BIZOSAAS_BASE_DOMAIN {0:?} is not a host name")]
    BaseDomain(String),
    #[error("BIZOSAAS_DNS_SERVER {0:?} is not an address like 127.0.0.1:53")]
    DnsServer(String),
    #[error("could not read Leptos.toml: {0}")]
    Leptos(String),
}

/// An optional setting, None when unset or blank.
fn given(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Settings {
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let base_domain = self.base_domain.trim().to_ascii_lowercase();
        if base_domain.is_empty()
            || !base_domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Err(ConfigError::BaseDomain(base_domain));
        }
        let dns_server = match given(self.dns_server) {
            Some(value) => Some(value.parse().map_err(|_| ConfigError::DnsServer(value))?),
            None => None,
        };
        let llm = given(self.llm_url).map(|url| app::server::LanguageModel {
            url: url.trim_end_matches('/').to_string(),
            model: self.llm_model,
            api_key: given(self.llm_api_key),
        });
        let mail = given(self.smtp_url).map(|url| app::server::MailServer {
            url,
            from: given(self.mail_from)
                .unwrap_or_else(|| format!("BizOSaaS <digest@{base_domain}>")),
        });
        let public_url = given(self.public_url)
            .map(|url| url.trim_end_matches('/').to_string())
            .filter(|url| !url.is_empty());
        Ok(Config {
            addr: self.addr,
            database_url: self.database_url,
            https: self.https,
            trust_proxy: self.trust_proxy,
            job_workers: usize::from(self.job_workers),
            dns_server,
            media_dir: self.media_dir,
            llm,
            mail,
            public_url,
            secret_key: given(self.secret_key),
            cache_bytes: self.cache_mb as usize * 1024 * 1024,
            connections: crate::connections::Limits {
                max_connections: self.max_connections as usize,
                header_timeout: std::time::Duration::from_secs(self.header_timeout.into()),
                idle_timeout: std::time::Duration::from_secs(self.idle_timeout.into()),
            },
            leptos: leptos_options(&self.leptos_toml)?,
            base_domain,
        })
    }
}

fn leptos_options(path: &str) -> Result<leptos::config::LeptosOptions, ConfigError> {
    let file = std::path::Path::new(path).exists().then_some(path);
    leptos::config::get_configuration(file)
        .map(|conf| conf.leptos_options)
        .map_err(|e| ConfigError::Leptos(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        settings: super::Settings,
    }

    #[test]
    fn every_setting_has_help_and_a_variable_and_the_defaults_run() {
        use clap::{CommandFactory, Parser};
        let command = Cli::command();
        for arg in command.get_arguments() {
            assert!(arg.get_help().is_some(), "{} has no help", arg.get_id());
            assert!(arg.get_env().is_some(), "{} has no variable", arg.get_id());
        }
        let config = Cli::try_parse_from(["bizosaas"])
            .unwrap()
            .settings
            .resolve()
            .unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.job_workers, 2);
        assert!(config.llm.is_none() && config.mail.is_none() && !config.https);
        assert_eq!(config.connections, crate::connections::Limits::default());
        assert_eq!(config.cache_bytes, app::sites::cache::DEFAULT_BUDGET_BYTES);

        let config = Cli::try_parse_from([
            "bizosaas",
            "--llm-url",
            "http://localhost:11434/v1/",
            "--https",
            "--base-domain",
            "Example.COM",
            "--dns-server",
            " ",
        ])
        .unwrap()
        .settings
        .resolve()
        .unwrap();
        assert_eq!(config.llm.unwrap().url, "http://localhost:11434/v1");
        assert!(config.https);
        assert_eq!(config.base_domain, "example.com");
        assert_eq!(config.dns_server, None);
        assert!(Cli::try_parse_from(["bizosaas", "--job-workers", "65"]).is_err());
        let refused = Cli::try_parse_from(["bizosaas", "--base-domain", "a b"])
            .unwrap()
            .settings
            .resolve();
        assert!(refused.is_err());
    }
    /// The binary reads Leptos.toml at run time; cargo-leptos builds from Cargo.toml.
    /// If they disagree, the binary serves files from where the build did not put them.
    #[test]
    fn leptos_toml_agrees_with_the_build_settings() {
        let read = |file: &str| {
            std::fs::read_to_string(format!("{}/../{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        };
        let run_time = leptos::config::get_config_from_str(&read("Leptos.toml")).unwrap();
        // cargo-leptos calls the output name `name`.
        let cargo = read("Cargo.toml");
        let section = &cargo[cargo.find("[[workspace.metadata.leptos]]").unwrap()..];
        let section = section.replacen("\nname = ", "\noutput-name = ", 1);
        let build = leptos::config::get_config_from_str(&section).unwrap();
        assert_eq!(run_time.output_name, build.output_name);
        assert_eq!(run_time.site_root, build.site_root);
        assert_eq!(run_time.site_pkg_dir, build.site_pkg_dir);
        assert_eq!(run_time.site_addr, build.site_addr);
        assert_eq!(run_time.reload_port, build.reload_port);
        assert_eq!(run_time.hash_files, build.hash_files);
    }
}
