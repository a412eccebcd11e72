//! Tenant websites: server-rendered HTML from published CMS content, themed from the
//! tenant's configuration. No WASM, no JavaScript needed to read them.

#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod render;
