//! Custom domains: a tenant adds `example.com`, proves it owns it with a DNS TXT record,
//! and from then on its site is served there too (with `www.` redirected to the apex, or
//! the reverse).

pub mod api;
#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod dns;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The domain check's job: look for the domain's TXT record and start serving on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainCheck {
    pub host: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomDomain {
    /// Lower-case, without `www.`: `example.com`. Both it and `www.example.com` are served.
    pub host: String,
    /// What the TXT record must say.
    pub token: String,
    pub verified_at: Option<i64>,
    pub last_checked_at: Option<i64>,
    /// Why the last check failed, in a sentence for the tenant.
    pub last_error: Option<String>,
    /// Serve at `www.example.com` and redirect the apex there, instead of the reverse.
    pub prefer_www: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainStatus {
    /// Added; waiting for its TXT record to be found.
    Pending,
    Verified,
    /// The last check did not find the record.
    Failed,
}

/// Where the TXT record goes, in front of the domain.
pub const RECORD_PREFIX: &str = "_bizosaas";

impl CustomDomain {
    pub fn status(&self) -> DomainStatus {
        match (&self.verified_at, &self.last_error) {
            (Some(_), _) => DomainStatus::Verified,
            (None, Some(_)) => DomainStatus::Failed,
            (None, None) => DomainStatus::Pending,
        }
    }

    /// The name of the TXT record to create.
    pub fn record_name(&self) -> String {
        format!("{RECORD_PREFIX}.{}", self.host)
    }

    /// The value of the TXT record.
    pub fn record_value(&self) -> String {
        format!("bizosaas-verification={}", self.token)
    }

    /// The host the site is served at; the other one redirects to it.
    pub fn canonical_host(&self) -> String {
        if self.prefer_www {
            format!("www.{}", self.host)
        } else {
            self.host.clone()
        }
    }
}

/// The domain someone typed, as we store it: `https://WWW.Example.com/` → `example.com`.
pub fn normalize_host(input: &str) -> Result<String, String> {
    let mut host = input.trim().to_ascii_lowercase();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = host.strip_prefix(scheme) {
            host = rest.to_string();
        }
    }
    if let Some(end) = host.find('/') {
        host.truncate(end);
    }
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let top_level_ok = labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_lowercase()) && tld.len() >= 2);
    if host.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !top_level_ok {
        return Err(format!(
            "\"{}\" is not a domain name. Enter one like example.com or shop.example.com.",
            input.trim()
        ));
    }
    Ok(host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalized_and_checked() {
        assert_eq!(
            normalize_host(" https://WWW.Example.com/shop ").unwrap(),
            "example.com"
        );
        assert_eq!(
            normalize_host("shop.example.co.uk.").unwrap(),
            "shop.example.co.uk"
        );
        for bad in [
            "",
            "localhost",
            "exa mple.com",
            "-a.com",
            "a..com",
            "127.0.0.1",
            "a.c0m",
        ] {
            assert!(normalize_host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_record_and_canonical_host_follow_the_domain() {
        let mut domain = CustomDomain {
            host: "example.com".into(),
            token: "abc".into(),
            verified_at: None,
            last_checked_at: None,
            last_error: None,
            prefer_www: false,
            created_at: 0,
        };
        assert_eq!(domain.record_name(), "_bizosaas.example.com");
        assert_eq!(domain.record_value(), "bizosaas-verification=abc");
        assert_eq!(domain.canonical_host(), "example.com");
        domain.prefer_www = true;
        assert_eq!(domain.canonical_host(), "www.example.com");
        assert_eq!(domain.status(), DomainStatus::Pending);
    }
}
