//! Configuration from the environment (names in ARCHITECTURE.md), with defaults that
//! make `bizosaas` run on a laptop with no set-up.

use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub base_domain: String,
    /// Served over HTTPS (behind a TLS proxy): session cookies are `Secure` and the
    /// sites' canonical URLs start with https.
    pub https: bool,
    /// Behind a reverse proxy: visitors' IPs (rate limits, visitor counts) come from the
    /// last X-Forwarded-For entry. Never set it when clients reach the binary directly.
    pub trust_proxy: bool,
    /// Jobs this process runs at once; 0 makes a web-only process (others run the jobs).
    pub job_workers: usize,
    /// The DNS server (`ip:port`) that custom-domain checks ask; the system's when unset.
    pub dns_server: Option<SocketAddr>,
    /// Where uploaded files are kept.
    pub media_dir: std::path::PathBuf,
    /// BIZOSAAS_LLM_URL, BIZOSAAS_LLM_MODEL, BIZOSAAS_LLM_API_KEY.
    pub llm: Option<app::server::LanguageModel>,
    /// BIZOSAAS_SMTP_URL and BIZOSAAS_MAIL_FROM.
    pub mail: Option<app::server::MailServer>,
    /// BIZOSAAS_PUBLIC_URL: where people reach the dashboard, for links in email.
    pub public_url: Option<String>,
    pub leptos: leptos::config::LeptosOptions,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/bizosaas.db";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("BIZOSAAS_ADDR {0:?} is not an address like 127.0.0.1:3000")]
    Addr(String),
    #[error("BIZOSAAS_BASE_DOMAIN {0:?} is not a host name")]
    BaseDomain(String),
    #[error("BIZOSAAS_JOB_WORKERS {0:?} is not a number of workers (0 to 64)")]
    JobWorkers(String),
    #[error("BIZOSAAS_DNS_SERVER {0:?} is not an address like 127.0.0.1:53")]
    DnsServer(String),
    #[error("could not read Leptos.toml: {0}")]
    Leptos(String),
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let addr = std::env::var("BIZOSAAS_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
        let addr = addr.parse().map_err(|_| ConfigError::Addr(addr))?;
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
        let base_domain = std::env::var("BIZOSAAS_BASE_DOMAIN")
            .unwrap_or_else(|_| "localhost".into())
            .trim()
            .to_ascii_lowercase();
        if base_domain.is_empty()
            || !base_domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Err(ConfigError::BaseDomain(base_domain));
        }
        let https = flag("BIZOSAAS_HTTPS");
        let trust_proxy = flag("BIZOSAAS_TRUST_PROXY");
        let job_workers = match std::env::var("BIZOSAAS_JOB_WORKERS") {
            Ok(value) => value
                .trim()
                .parse()
                .ok()
                .filter(|n| *n <= 64)
                .ok_or(ConfigError::JobWorkers(value))?,
            Err(_) => 2,
        };
        let dns_server = match std::env::var("BIZOSAAS_DNS_SERVER") {
            Ok(value) if !value.trim().is_empty() => Some(
                value
                    .trim()
                    .parse()
                    .map_err(|_| ConfigError::DnsServer(value))?,
            ),
            _ => None,
        };
        let media_dir = std::env::var("BIZOSAAS_MEDIA_DIR")
            .unwrap_or_else(|_| "data/media".into())
            .into();
        let llm = std::env::var("BIZOSAAS_LLM_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .map(|url| app::server::LanguageModel {
                url: url.trim().trim_end_matches('/').to_string(),
                model: std::env::var("BIZOSAAS_LLM_MODEL").unwrap_or_else(|_| "llama3.2".into()),
                api_key: std::env::var("BIZOSAAS_LLM_API_KEY")
                    .ok()
                    .filter(|k| !k.is_empty()),
            });
        let mail = std::env::var("BIZOSAAS_SMTP_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .map(|url| app::server::MailServer {
                url: url.trim().to_string(),
                from: std::env::var("BIZOSAAS_MAIL_FROM")
                    .unwrap_or_else(|_| format!("BizOSaaS <digest@{base_domain}>")),
            });
        let public_url = std::env::var("BIZOSAAS_PUBLIC_URL")
            .ok()
            .map(|url| url.trim().trim_end_matches('/').to_string())
            .filter(|url| !url.is_empty());
        Ok(Config {
            public_url,
            llm,
            mail,
            addr,
            dns_server,
            media_dir,
            database_url,
            base_domain,
            https,
            trust_proxy,
            job_workers,
            leptos: leptos_options()?,
        })
    }
}

/// An on/off variable: `1` or `true` is on.
fn flag(name: &str) -> bool {
    std::env::var(name)
        .map(|v| v == "1" || v.eq_ignore_ascii_case("true"))
        .unwrap_or(false)
}

/// Site options from `Leptos.toml` when present (LEPTOS_* variables override), else defaults,
/// so a deployed binary needs only its `site` folder.
fn leptos_options() -> Result<leptos::config::LeptosOptions, ConfigError> {
    let path = std::env::var("BIZOSAAS_LEPTOS_TOML").unwrap_or_else(|_| "Leptos.toml".into());
    let file = std::path::Path::new(&path)
        .exists()
        .then_some(path.as_str());
    leptos::config::get_configuration(file)
        .map(|conf| conf.leptos_options)
        .map_err(|e| ConfigError::Leptos(e.to_string()))
}

#[cfg(test)]
mod tests {
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
    }
}
