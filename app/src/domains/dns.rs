//! The ownership check: looks up the domain's TXT record with a real DNS resolver (the
//! system's, or the server set in `BIZOSAAS_DNS_SERVER`).

use std::net::SocketAddr;

use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::TokioResolver;

use super::CustomDomain;

fn resolver(server: Option<SocketAddr>) -> Result<TokioResolver, String> {
    let builder = match server {
        Some(server) => {
            let mut name_server = NameServerConfig::udp_and_tcp(server.ip());
            for connection in &mut name_server.connections {
                connection.port = server.port();
            }
            let config = ResolverConfig::from_parts(None, Vec::new(), vec![name_server]);
            TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
        }
        None => TokioResolver::builder_tokio()
            .map_err(|e| format!("The DNS settings of this server cannot be read: {e}"))?,
    };
    let mut options = ResolverOpts::default();
    // A record just added must be seen, not an answer cached from before.
    options.cache_size = 0;
    options.timeout = std::time::Duration::from_secs(5);
    builder
        .with_options(options)
        .build()
        .map_err(|e| format!("The DNS resolver could not start: {e}"))
}

/// Ok when the domain's TXT record carries its token; otherwise what the tenant should do.
pub async fn check(domain: &CustomDomain, server: Option<SocketAddr>) -> Result<(), String> {
    let resolver = resolver(server)?;
    let name = format!("{}.", domain.record_name());
    let expected = domain.record_value();
    let missing = || {
        format!(
            "No TXT record \"{expected}\" found at {}. Add it at your DNS provider; changes can take a few hours to spread.",
            domain.record_name()
        )
    };
    match resolver.txt_lookup(name.as_str()).await {
        Ok(lookup) => {
            let found = lookup.answers().iter().any(|record| {
                matches!(&record.data, hickory_resolver::proto::rr::RData::TXT(txt)
                    if txt.to_string().trim() == expected)
            });
            if found {
                Ok(())
            } else {
                Err(missing())
            }
        }
        Err(err) if err.is_no_records_found() || err.is_nx_domain() => Err(missing()),
        Err(err) => Err(format!(
            "The DNS lookup of {} failed: {err}",
            domain.record_name()
        )),
    }
}
