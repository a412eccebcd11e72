//! Which site a request is for, from its Host header.

use axum::extract::Request;
use axum::http::header;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteHost {
    /// The platform itself: marketing site, dashboard, CMS, APIs.
    Platform,
    /// `{slug}.{base domain}`.
    Tenant(String),
    /// Any other host name (without its port): perhaps a tenant's custom domain.
    Other(String),
}

pub fn classify(request: &Request, base_domain: &str) -> SiteHost {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().host())
        .unwrap_or("");
    classify_host(host, base_domain)
}

pub fn classify_host(host: &str, base_domain: &str) -> SiteHost {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let name = strip_port(&host);
    if name.is_empty() || name == base_domain || name == format!("www.{base_domain}") {
        return SiteHost::Platform;
    }
    if name
        .trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .is_ok()
    {
        return SiteHost::Platform;
    }
    match name.strip_suffix(&format!(".{base_domain}")) {
        Some(slug) if !slug.is_empty() && !slug.contains('.') => SiteHost::Tenant(slug.to_string()),
        Some(_) => SiteHost::Other(String::new()),
        None => SiteHost::Other(name.to_string()),
    }
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        // An IPv6 literal: the port, if any, follows the bracket.
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_classified() {
        let base = "localhost";
        assert_eq!(classify_host("localhost:3000", base), SiteHost::Platform);
        assert_eq!(classify_host("127.0.0.1:3000", base), SiteHost::Platform);
        assert_eq!(
            classify_host("acme.localhost:3000", base),
            SiteHost::Tenant("acme".into())
        );
        assert_eq!(
            classify_host("ACME.localhost", base),
            SiteHost::Tenant("acme".into())
        );
        assert_eq!(
            classify_host("a.b.localhost", base),
            SiteHost::Other(String::new())
        );
        assert_eq!(
            classify_host("Example.org:8080", base),
            SiteHost::Other("example.org".into())
        );
        assert_eq!(classify_host("[::1]:3000", base), SiteHost::Platform);
        assert_eq!(
            classify_host("acme.example.com", "example.com"),
            SiteHost::Tenant("acme".into())
        );
    }
}
