//! Which site a request is for, from its Host header: the one place that splits
//! host:port, and the one place that builds a site's origin.

/// What a Host header names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteHost {
    /// The platform itself: marketing site, dashboard, CMS, APIs.
    Platform,
    /// `{slug}.{base domain}`.
    Tenant(String),
    /// Any other host name (without its port): perhaps a tenant's custom domain.
    Other(String),
}

/// A Host header's name (lower case, without a trailing dot) and port.
pub fn split_host(host: &str) -> (String, Option<&str>) {
    let host = host.trim();
    let (name, port) = if host.starts_with('[') {
        // An IPv6 literal: the port, if any, follows the bracket.
        match host.find(']') {
            Some(end) => (&host[..=end], host[end + 1..].strip_prefix(':')),
            None => (host, None),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => (name, Some(port)),
            _ => (host, None),
        }
    };
    let port = port.filter(|p| !p.is_empty());
    (name.trim_end_matches('.').to_ascii_lowercase(), port)
}

/// `scheme://name[:port]`.
pub fn origin(scheme: &str, name: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{scheme}://{name}:{port}"),
        None => format!("{scheme}://{name}"),
    }
}

pub fn classify_host(host: &str, base_domain: &str) -> SiteHost {
    let (name, _) = split_host(host);
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
        None => SiteHost::Other(name),
    }
}

/// The Host a request was sent to (HTTP/1.1's header, or HTTP/2's authority).
#[cfg(feature = "ssr")]
pub fn host_of<'a>(headers: &'a http::HeaderMap, uri: &'a http::Uri) -> &'a str {
    headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.host())
        .unwrap_or("")
}

/// Where a tenant's site is: its subdomain, on the platform's public port.
#[cfg(feature = "ssr")]
pub fn tenant_origin(app: &crate::server::AppState, tenant_slug: &str) -> String {
    origin(
        app.scheme,
        &format!("{tenant_slug}.{}", app.base_domain),
        app.site_port,
    )
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

    #[test]
    fn hosts_split_into_name_and_port() {
        assert_eq!(
            split_host("Acme.localhost:3000"),
            ("acme.localhost".into(), Some("3000"))
        );
        assert_eq!(split_host("example.org."), ("example.org".into(), None));
        assert_eq!(split_host("[::1]:8080"), ("[::1]".into(), Some("8080")));
        assert_eq!(split_host("[::1]"), ("[::1]".into(), None));
        assert_eq!(origin("https", "example.org", None), "https://example.org");
        assert_eq!(
            origin("http", "acme.localhost", Some(3000)),
            "http://acme.localhost:3000"
        );
    }
}
