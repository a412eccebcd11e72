//! The business a signed-in page or call acts for is part of its address:
//! `/t/{slug}/dashboard`, `/t/{slug}/api/...`. Two tabs on two businesses never share a
//! hidden "current tenant", and a link means the same to every member who opens it.
//! The server checks membership of that business on every call.

/// The prefix every tenant address starts with.
pub const PREFIX: &str = "/t/";

/// The business named by an address and the rest of the path:
/// `/t/acme/cms/pages/1` is `("acme", "/cms/pages/1")`; `/t/acme` is `("acme", "")`.
/// None for addresses outside any business, and for names no business could have.
pub fn split(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix(PREFIX)?;
    let (slug, rest) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    could_be_slug(slug).then_some((slug, rest))
}

/// `path` (starting with `/`) inside the business `slug`.
pub fn within(slug: &str, path: &str) -> String {
    format!("{PREFIX}{slug}{path}")
}

/// Whether `path` (with or without a query) is a signed-in area as addressed before
/// businesses were part of addresses (`/dashboard/...`, `/cms/...`); such an old link
/// means the same place in one's own business.
pub fn lacks_business(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    ["/dashboard", "/cms"].iter().any(|area| {
        path.strip_prefix(area)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The characters a site address may have; anything else names no business.
fn could_be_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 63
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An address of this app's own server (an endpoint that is not a server function:
/// the live feed's stream, uploads) as the browser must call it: inside the business of
/// the page it was loaded for, like every server function call (see `frontend`).
pub fn api_url(path: &str) -> String {
    format!("{}{path}", server_fn::client::get_server_url())
}

/// Sends every server function call of this page to its business (`/t/{slug}/api/...`).
/// Called once when the page starts in the browser, before the router: a page keeps one
/// business for its life, so navigation that leaves it loads the new page whole (the
/// signed-in layout sees to links; here, the redirects server functions answer with,
/// such as sign-in's, which would otherwise be followed inside this page).
pub fn bind_calls_to_page() {
    let _ = server_fn::redirect::set_redirect_hook(|location: &str| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(location);
        }
    });
    let Some(path) = web_sys::window().and_then(|w| w.location().pathname().ok()) else {
        return;
    };
    if let Some((slug, _)) = split(&path) {
        let prefix: &'static str = Box::leak(within(slug, "").into_boxed_str());
        let _ = server_fn::client::try_set_server_url(prefix);
    }
}

/// Whether this page's calls go to the business named by `path`; when not, the page
/// must load anew (its calls are bound to the business it was loaded for).
pub fn calls_go_to(path: &str) -> bool {
    let bound = server_fn::client::get_server_url();
    match split(path) {
        Some((slug, _)) => bound == within(slug, ""),
        None => bound.is_empty(),
    }
}

/// The business named by the request's address, set by the server's router before any
/// handler runs; server functions and handlers read it from the request.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantInAddress(pub String);

#[cfg(feature = "ssr")]
impl TenantInAddress {
    pub fn of(parts: &http::request::Parts) -> Option<&str> {
        parts
            .extensions
            .get::<TenantInAddress>()
            .map(|t| t.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_business_is_the_first_segment_after_t() {
        assert_eq!(split("/t/acme/cms/pages/1"), Some(("acme", "/cms/pages/1")));
        assert_eq!(split("/t/acme"), Some(("acme", "")));
        assert_eq!(split("/t/acme/"), Some(("acme", "/")));
        assert_eq!(split("/t/Acme/cms"), None);
        assert_eq!(split("/t//cms"), None);
        assert_eq!(split("/t/a%2Fb/cms"), None);
        assert_eq!(split("/dashboard"), None);
        assert_eq!(split("/tenants"), None);
        assert_eq!(within("acme", "/cms"), "/t/acme/cms");
        assert!(lacks_business("/cms/media?page=2"));
        assert!(lacks_business("/dashboard"));
        assert!(!lacks_business("/cmsx"));
        assert!(!lacks_business("/t/acme/cms"));
    }
}
