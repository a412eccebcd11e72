//! The floor for `make bench-scale`: a minimal axum + SQLite server that answers `/` for
//! the tenant named by the Host header (`t42.localhost` → t42) by reading its published
//! home page's JSON and filling a string template. No cache, no theme, no escaping
//! beyond `<` and `&`: what a request to a tenant page costs at the least, measured in the
//! same run as bizosaas.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

fn block_html(block: &serde_json::Value, out: &mut String) {
    let text = |key: &str| escape(block[key].as_str().unwrap_or_default());
    match block["type"].as_str().unwrap_or_default() {
        "hero" => out.push_str(&format!(
            "<section><h1>{}</h1><p>{}</p></section>",
            text("heading"),
            text("subheading")
        )),
        "text" => out.push_str(&format!("<section><p>{}</p></section>", text("markdown"))),
        _ => {
            out.push_str(&format!("<section><h2>{}</h2><ul>", text("heading")));
            for item in block["items"].as_array().into_iter().flatten() {
                let field = |key: &str| escape(item[key].as_str().unwrap_or_default());
                out.push_str(&format!(
                    "<li>{}{}{}</li>",
                    field("title"),
                    field("quote"),
                    field("answer")
                ));
            }
            out.push_str("</ul></section>");
        }
    }
}

async fn home(State(pool): State<SqlitePool>, headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let slug = host.split('.').next().unwrap_or_default();
    let row: Option<(String, String)> = sqlx::query_as(
        "select t.name, p.published from tenants t join pages p on p.tenant_id = t.id \
         where t.slug = ? and p.slug = '' and p.published is not null",
    )
    .bind(slug)
    .fetch_optional(&pool)
    .await
    .unwrap_or(None);
    let Some((name, published)) = row else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let page: serde_json::Value = serde_json::from_str(&published).unwrap_or_default();
    let mut body = String::with_capacity(32 * 1024);
    for block in page["blocks"].as_array().into_iter().flatten() {
        block_html(block, &mut body);
    }
    Html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title>\
         <meta name=\"description\" content=\"{}\"></head><body><header>{}</header>\
         <main>{body}</main></body></html>",
        escape(page["title"].as_str().unwrap_or_default()),
        escape(page["meta_description"].as_str().unwrap_or_default()),
        escape(&name)
    ))
    .into_response()
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(database), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: bench-floor <sqlite file> <address>");
        std::process::exit(2);
    };
    let options = SqliteConnectOptions::new()
        .filename(&database)
        .read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .expect("open the database");
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    let app = axum::Router::new()
        .route("/", axum::routing::get(home))
        .with_state(pool);
    axum::serve(listener, app).await.expect("serve");
}
