//! Every server function, called by nobody and by every role of one tenant with another
//! tenant's ids: refused without a session and below its role, answered 404 for the
//! other tenant's ids, and never showing or changing anything of the other tenant. The
//! table must name every server function the app registers, so a new one is checked from
//! its first commit: until it has a row here, this test fails.

use std::collections::BTreeSet;

use app::tenancy::Role;
use reqwest::Client;
use serde_json::{json, Value};

use crate::common::*;

/// Who may call a server function.
#[derive(Clone, Copy, PartialEq)]
enum Least {
    /// Anybody, signed in or not (sign-in, the agent API's reference).
    Anyone,
    Member(Role),
}

/// How a call reaches the other tenant.
#[derive(Clone, Copy, PartialEq)]
enum Reach {
    /// By naming one of its ids: that must be answered 404.
    TheirId,
    /// By a name that is not theirs alone (a domain any tenant may claim until one
    /// proves it owns it): any answer, but nothing of theirs may change.
    TheirName,
    /// It names no record; it must answer with the caller's own tenant only.
    OwnTenant,
}

/// The other tenant's records, by the ids and names its own members use.
struct Theirs {
    page: String,
    post: String,
    product: String,
    task: String,
    media: String,
    domain: String,
    api_key: String,
    approval: String,
    invitation: String,
    /// Their owner, as a member of their team.
    member: String,
    /// Their owner's session.
    sign_in: String,
    /// A well-formed theme (the caller's own), so the check answers and not the parser.
    theme: Value,
}

enum Args {
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

struct Call {
    endpoint: &'static str,
    least: Least,
    reach: Reach,
    args: fn(&Theirs) -> Args,
}

fn form(pairs: &[(&'static str, &str)]) -> Args {
    Args::Form(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

const VIEWER: Least = Least::Member(Role::Viewer);
const EDITOR: Least = Least::Member(Role::Editor);
const ADMIN: Least = Least::Member(Role::Admin);
const OWNER: Least = Least::Member(Role::Owner);

fn page(title: &str) -> Value {
    json!({ "title": title, "meta_description": "", "blocks": [{ "type": "text", "markdown": "Taken" }] })
}

fn post(title: &str) -> Value {
    json!({ "title": title, "body": "Taken" })
}

fn product(name: &str) -> Value {
    json!({ "name": name, "summary": "Taken", "price": { "minor_units": 100, "currency": "USD" } })
}

/// Every server function: who may call it, and a call aimed at the other tenant.
fn table() -> Vec<Call> {
    use Reach::*;
    let call = |endpoint, least, reach, args| Call {
        endpoint,
        least,
        reach,
        args,
    };
    vec![
        call("login", Least::Anyone, OwnTenant, |_| {
            form(&[
                ("email", "owner@globex.test"),
                ("password", "not-the-password"),
            ])
        }),
        call("current_member", Least::Anyone, OwnTenant, |_| form(&[])),
        // The second sign-in step: without a right password first, nothing to check.
        call("login/code", Least::Anyone, OwnTenant, |_| {
            form(&[("code", "123456")])
        }),
        // Two-factor belongs to the person: any member, about themselves only.
        call("two_factor/status", VIEWER, OwnTenant, |_| form(&[])),
        call("two_factor/begin", VIEWER, OwnTenant, |_| {
            form(&[("password", "not the password")])
        }),
        call("two_factor/confirm", VIEWER, OwnTenant, |_| {
            form(&[("code", "123456")])
        }),
        call("two_factor/recovery_codes", VIEWER, OwnTenant, |_| {
            form(&[("code", "123456")])
        }),
        call("two_factor/turn_off", VIEWER, OwnTenant, |_| {
            form(&[("password", "not the password"), ("code", "123456")])
        }),
        // Anyone may ask about an address or sign up; their site's address is taken.
        call("accounts/check_address", Least::Anyone, TheirName, |_| {
            form(&[("address", "globex")])
        }),
        // Anyone with an account may start another business; this address is taken.
        call("accounts/create_business", VIEWER, TheirName, |_| {
            form(&[("business", "Globex"), ("address", "globex")])
        }),
        call("accounts/resend_verification", VIEWER, OwnTenant, |_| {
            form(&[])
        }),
        // One's own account: any member, and nothing of another tenant's is named.
        call("accounts/change_name", VIEWER, OwnTenant, |_| {
            form(&[("name", "Same Person")])
        }),
        call("accounts/change_password", VIEWER, OwnTenant, |_| {
            form(&[
                ("current", "not the password"),
                ("password", "violet anvil harbour lantern"),
            ])
        }),
        call("accounts/sign_out_elsewhere", VIEWER, OwnTenant, |_| {
            form(&[])
        }),
        call("accounts/sessions", VIEWER, OwnTenant, |_| form(&[])),
        call("accounts/end_session", VIEWER, TheirId, |t| {
            form(&[("id", &t.sign_in)])
        }),
        call("accounts/change_email", VIEWER, OwnTenant, |_| {
            form(&[
                ("email", "someone@example.test"),
                ("current", "not the password"),
            ])
        }),
        call("accounts/request_reset", Least::Anyone, OwnTenant, |_| {
            form(&[("email", "nobody@example.test")])
        }),
        call("accounts/reset_password", Least::Anyone, OwnTenant, |_| {
            form(&[
                ("token", "not-a-token"),
                ("password", "violet anvil harbour lantern"),
            ])
        }),
        call("accounts/sign_up", Least::Anyone, TheirName, |_| {
            form(&[
                ("name", "Someone Else"),
                ("email", "someone@else.test"),
                ("password", "violet anvil harbour lantern"),
                ("business", "Globex"),
                ("address", "globex"),
            ])
        }),
        call(
            "api_keys/reference",
            Least::Anyone,
            OwnTenant,
            |_| form(&[]),
        ),
        call("workspace", VIEWER, OwnTenant, |_| form(&[])),
        call("activity/feed", VIEWER, OwnTenant, |_| form(&[])),
        call("activity/history", VIEWER, OwnTenant, |_| {
            Args::Json(json!({ "filter": { "page": 1 } }))
        }),
        call("activity/run_site_check", EDITOR, OwnTenant, |_| form(&[])),
        call("activity/retry", EDITOR, TheirId, |t| {
            form(&[("id", &t.task)])
        }),
        call("analytics/site", VIEWER, OwnTenant, |_| form(&[])),
        call("api_keys/list", ADMIN, OwnTenant, |_| form(&[])),
        call("api_keys/create", ADMIN, OwnTenant, |_| {
            form(&[("name", "Refusal check")])
        }),
        call("api_keys/revoke", ADMIN, TheirId, |t| {
            form(&[("id", &t.api_key)])
        }),
        call("approvals/list", VIEWER, OwnTenant, |_| form(&[])),
        call("approvals/drafting", VIEWER, OwnTenant, |_| form(&[])),
        call("approvals/draft_post", EDITOR, OwnTenant, |_| {
            form(&[("brief", "A short note on opening hours")])
        }),
        call("approvals/approve", EDITOR, TheirId, |t| {
            form(&[("id", &t.approval)])
        }),
        call("approvals/reject", EDITOR, TheirId, |t| {
            form(&[("id", &t.approval), ("reason", "Not ours")])
        }),
        call("crm/contacts", VIEWER, OwnTenant, |_| form(&[])),
        call("digest/outbox", ADMIN, OwnTenant, |_| form(&[])),
        call("site/domains", ADMIN, OwnTenant, |_| form(&[])),
        call("site/add_domain", ADMIN, TheirName, |t| {
            form(&[("host", &t.domain)])
        }),
        call("site/check_domain", ADMIN, TheirName, |t| {
            form(&[("host", &t.domain)])
        }),
        call("site/remove_domain", ADMIN, TheirName, |t| {
            form(&[("host", &t.domain)])
        }),
        call("site/domain_www", ADMIN, TheirName, |t| {
            form(&[("host", &t.domain), ("prefer_www", "true")])
        }),
        call("media/list", VIEWER, OwnTenant, |_| form(&[])),
        call("media/alt", EDITOR, TheirId, |t| {
            form(&[("id", &t.media), ("alt", "Taken")])
        }),
        call("media/usage", VIEWER, TheirId, |t| {
            form(&[("id", &t.media)])
        }),
        call("media/delete", EDITOR, TheirId, |t| {
            form(&[("id", &t.media), ("confirm", "true")])
        }),
        call("site/theme", VIEWER, OwnTenant, |_| form(&[])),
        call("site/save_theme", ADMIN, OwnTenant, |t| {
            Args::Json(json!({ "theme": t.theme }))
        }),
        call("site/settings", VIEWER, OwnTenant, |_| form(&[])),
        call("site/save_settings", ADMIN, OwnTenant, |_| {
            Args::Json(
                json!({ "settings": { "navigation": [], "footer_text": "Ours",
                                              "footer_links": [], "versions_kept": 50 } }),
            )
        }),
        call("site/preview_theme", VIEWER, OwnTenant, |t| {
            Args::Json(json!({ "theme": t.theme }))
        }),
        call("site/add_to_navigation", ADMIN, TheirId, |t| {
            form(&[("page_id", &t.page)])
        }),
        call("cms/pages", VIEWER, OwnTenant, |_| form(&[])),
        call("cms/page", VIEWER, TheirId, |t| form(&[("id", &t.page)])),
        call("cms/create_page", EDITOR, OwnTenant, |_| {
            Args::Json(json!({ "slug": "refusal-check", "content": page("Ours") }))
        }),
        call("cms/save_draft", EDITOR, TheirId, |t| {
            Args::Json(json!({ "id": t.page, "base_revision": 1, "content": page("Taken") }))
        }),
        call("cms/publish", EDITOR, TheirId, |t| form(&[("id", &t.page)])),
        call("cms/page_slug", EDITOR, TheirId, |t| {
            form(&[("id", &t.page), ("slug", "taken")])
        }),
        call("cms/posts", VIEWER, OwnTenant, |_| form(&[])),
        call("cms/post", VIEWER, TheirId, |t| form(&[("id", &t.post)])),
        call("cms/create_post", EDITOR, OwnTenant, |_| {
            Args::Json(json!({ "slug": "refusal-check", "content": post("Ours") }))
        }),
        call("cms/save_post", EDITOR, TheirId, |t| {
            Args::Json(json!({ "id": t.post, "base_revision": 1, "content": post("Taken") }))
        }),
        call("cms/publish_post", EDITOR, TheirId, |t| {
            form(&[("id", &t.post)])
        }),
        call("cms/post_slug", EDITOR, TheirId, |t| {
            form(&[("id", &t.post), ("slug", "taken")])
        }),
        call("cms/products", VIEWER, OwnTenant, |_| form(&[])),
        call("cms/product", VIEWER, TheirId, |t| {
            form(&[("id", &t.product)])
        }),
        call("cms/create_product", EDITOR, OwnTenant, |_| {
            Args::Json(json!({ "slug": "refusal-check", "content": product("Ours") }))
        }),
        call("cms/save_product", EDITOR, TheirId, |t| {
            Args::Json(json!({ "id": t.product, "base_revision": 1, "content": product("Taken") }))
        }),
        call("cms/publish_product", EDITOR, TheirId, |t| {
            form(&[("id", &t.product)])
        }),
        call("cms/product_slug", EDITOR, TheirId, |t| {
            form(&[("id", &t.product), ("slug", "taken")])
        }),
        call("cms/versions", VIEWER, TheirId, |t| {
            form(&[("collection", "page"), ("id", &t.page)])
        }),
        call("cms/restore", EDITOR, TheirId, |t| {
            form(&[("collection", "post"), ("id", &t.post), ("number", "1")])
        }),
        call("cms/unpublish", EDITOR, TheirId, |t| {
            form(&[("collection", "product"), ("id", &t.product)])
        }),
        call("cms/delete", EDITOR, TheirId, |t| {
            form(&[("collection", "page"), ("id", &t.page)])
        }),
        call("cms/schedule", EDITOR, TheirId, |t| {
            let soon = (app::server::now_ms() + 3_600_000).to_string();
            Args::Form(vec![
                ("collection", "post".into()),
                ("id", t.post.clone()),
                ("at", soon),
            ])
        }),
        call("cms/audit", ADMIN, OwnTenant, |_| form(&[("page", "1")])),
        call("onboarding/state", VIEWER, OwnTenant, |_| form(&[])),
        call("onboarding/save", ADMIN, OwnTenant, |_| {
            Args::Json(
                json!({ "answers": { "offer": "Anvils", "audience": "smiths",
                                            "kind": "shop", "tone": "calm" } }),
            )
        }),
        call("onboarding/skip", ADMIN, OwnTenant, |_| form(&[])),
        // Answers that cannot be built from: refused before any build starts.
        call("onboarding/build", ADMIN, OwnTenant, |_| {
            Args::Json(json!({ "answers": { "offer": "", "audience": "",
                                            "kind": "shop", "tone": "calm" } }))
        }),
        call("team/members", VIEWER, OwnTenant, |_| form(&[])),
        call("team/invite", ADMIN, OwnTenant, |_| {
            form(&[("email", "newcomer@acme.test"), ("role", "editor")])
        }),
        call("team/resend", ADMIN, TheirId, |t| {
            form(&[("id", &t.invitation)])
        }),
        call("team/revoke", ADMIN, TheirId, |t| {
            form(&[("id", &t.invitation)])
        }),
        call("team/change_role", ADMIN, TheirId, |t| {
            form(&[("user_id", &t.member), ("role", "viewer")])
        }),
        call("team/remove", ADMIN, TheirId, |t| {
            form(&[("user_id", &t.member)])
        }),
        call("team/transfer", OWNER, TheirId, |t| {
            form(&[("user_id", &t.member)])
        }),
        // An owner without two-factor may not require it; either way only of their own.
        call("team/require_two_factor", OWNER, OwnTenant, |_| {
            form(&[("required", "true")])
        }),
        // Whoever holds an invitation's link; a made-up one opens nothing.
        call("team/invitation", Least::Anyone, OwnTenant, |_| {
            form(&[("token", "made-up")])
        }),
        call("team/accept", Least::Anyone, OwnTenant, |_| {
            form(&[
                ("token", "made-up"),
                ("name", "Someone"),
                ("password", "violet anvil harbour lantern"),
            ])
        }),
        call("cms/preview", VIEWER, OwnTenant, |_| {
            Args::Json(json!({ "collection": "page", "slug": "preview", "content": page("Ours") }))
        }),
    ]
}

/// Calls `endpoint` at `/api/...`, or as a page of the business `tenant` would.
async fn send(
    app: &TestApp,
    client: &Client,
    tenant: Option<&str>,
    endpoint: &str,
    args: &Args,
) -> (u16, String) {
    let response = match (args, tenant) {
        (Args::Form(pairs), tenant) => {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            match tenant {
                Some(tenant) => app.call_form_in(client, tenant, endpoint, &pairs).await,
                None => app.call_form(client, endpoint, &pairs).await,
            }
        }
        (Args::Json(value), Some(tenant)) => {
            app.call_json_in(client, tenant, endpoint, value).await
        }
        (Args::Json(value), None) => app.call_json(client, endpoint, value).await,
    };
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Everything stored for the tenant, as text: every row of every table that has a
/// `tenant_id` column (and its own row in `tenants`), so any change by anyone shows.
/// Jobs are left out: their leases and attempts change as the workers run them.
async fn snapshot(app: &TestApp, tenant_id: &str) -> Vec<String> {
    let tables: Vec<String> = match app.db.backend {
        app::server::Backend::Sqlite => sqlx::query_scalar(
            "select m.name from sqlite_master m where m.type = 'table' \
             and exists (select 1 from pragma_table_info(m.name) c where c.name = 'tenant_id') \
             order by m.name",
        ),
        app::server::Backend::Postgres => sqlx::query_scalar(
            "select table_name::text from information_schema.columns \
             where column_name = 'tenant_id' and table_schema = current_schema() \
             order by table_name",
        ),
    }
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut rows = Vec::new();
    for (table, key) in tables
        .iter()
        .filter(|t| *t != "jobs")
        .map(|t| (t.as_str(), "tenant_id"))
        .chain([("tenants", "id")])
    {
        let columns: Vec<String> = match app.db.backend {
            app::server::Backend::Sqlite => {
                sqlx::query_scalar("select name from pragma_table_info($1) order by cid")
            }
            app::server::Backend::Postgres => sqlx::query_scalar(
                "select column_name::text from information_schema.columns \
                 where table_name = $1 and table_schema = current_schema() order by ordinal_position",
            ),
        }
        .bind(table)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let text = columns
            .iter()
            .map(|c| format!("coalesce(cast({c} as text), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let found: Vec<String> = sqlx::query_scalar(&format!(
            "select '{table}:' || {text} from {table} where {key} = $1"
        ))
        .bind(tenant_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        rows.extend(found);
    }
    rows.sort();
    rows
}

async fn one_id(app: &TestApp, sql: &str, tenant_id: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(tenant_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
}

/// Gives the other tenant one of everything a server function can name, made the way
/// its own owner would make it.
async fn their_records(app: &TestApp, owner: &Client, tenant_id: &str, theme: Value) -> Theirs {
    let media = app.upload_media(owner, "theirs.png", png(40, 30)).await;
    assert_eq!(media.status(), 201, "{}", media.text().await.unwrap());
    let domain = "shop.globex.test";
    let added = app
        .call_form(owner, "site/add_domain", &[("host", domain)])
        .await;
    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());
    let key = app
        .call_form(owner, "api_keys/create", &[("name", "Theirs")])
        .await;
    assert_eq!(key.status(), 200);
    let drafting = app
        .call_form(
            owner,
            "approvals/draft_post",
            &[("brief", "Our winter hours")],
        )
        .await;
    assert_eq!(drafting.status(), 200);
    let task: Value = drafting.json().await.unwrap();
    app.wait_for_task(owner, task["id"].as_str().unwrap()).await;
    let invited = app
        .call_form(
            owner,
            "team/invite",
            &[("email", "theirs@globex.test"), ("role", "editor")],
        )
        .await;
    assert_eq!(invited.status(), 200, "{}", invited.text().await.unwrap());
    // Every job of theirs is done (the image sizes, the draft), so nothing of theirs
    // changes on its own while the calls run.
    app.wait_for_idle_jobs(tenant_id).await;
    Theirs {
        page: one_id(
            app,
            "select id from pages where tenant_id = $1 and slug = 'about'",
            tenant_id,
        )
        .await,
        post: one_id(
            app,
            "select id from posts where tenant_id = $1 order by slug limit 1",
            tenant_id,
        )
        .await,
        product: one_id(
            app,
            "select id from products where tenant_id = $1 order by slug limit 1",
            tenant_id,
        )
        .await,
        task: one_id(
            app,
            "select id from agent_tasks where tenant_id = $1 order by created_at limit 1",
            tenant_id,
        )
        .await,
        media: one_id(
            app,
            "select id from media where tenant_id = $1 limit 1",
            tenant_id,
        )
        .await,
        domain: domain.to_string(),
        api_key: one_id(
            app,
            "select id from api_keys where tenant_id = $1 limit 1",
            tenant_id,
        )
        .await,
        approval: one_id(
            app,
            "select id from proposals where tenant_id = $1 limit 1",
            tenant_id,
        )
        .await,
        invitation: one_id(
            app,
            "select id from invitations where tenant_id = $1 limit 1",
            tenant_id,
        )
        .await,
        member: one_id(
            app,
            "select user_id from memberships where tenant_id = $1 and role = 'owner'",
            tenant_id,
        )
        .await,
        sign_in: one_id(
            app,
            "select s.id from sign_ins s join memberships m on m.user_id = s.user_id \
             where m.tenant_id = $1 and m.role = 'owner' limit 1",
            tenant_id,
        )
        .await,
        theme,
    }
}

fn rank(role: Role) -> u8 {
    match role {
        Role::Viewer => 0,
        Role::Editor => 1,
        Role::Admin => 2,
        Role::Owner => 3,
    }
}

on_both_engines!(
    every_server_function_refuses_other_tenants_and_lesser_roles,
    |app: TestApp| async move {
        let table = table();
        let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.trim_start_matches("/api/").to_string())
            .collect();
        let listed: BTreeSet<String> = table.iter().map(|c| c.endpoint.to_string()).collect();
        let unlisted: Vec<&String> = registered.difference(&listed).collect();
        assert!(
            unlisted.is_empty(),
            "server functions with no row in the refusal table: {unlisted:?}; add each with \
             the least role that may call it and a call aimed at another tenant"
        );
        let gone: Vec<&String> = listed.difference(&registered).collect();
        assert!(
            gone.is_empty(),
            "rows for server functions that do not exist: {gone:?}"
        );

        let globex_owner = app.login_as(GLOBEX).await;
        let globex = app::tenancy::store::tenant_by_slug(&app.db, "globex")
            .await
            .unwrap()
            .unwrap();
        let acme_owner = app.login_as(ACME).await;
        let report: Value = app
            .call_form(&acme_owner, "site/theme", &[])
            .await
            .json()
            .await
            .unwrap();
        let theme = report["theme"].clone();
        let theirs = their_records(&app, &globex_owner, &globex.id, theme).await;
        let secret_strings = [
            theirs.page.as_str(),
            &theirs.post,
            &theirs.product,
            &theirs.task,
            &theirs.media,
            &theirs.api_key,
            &theirs.approval,
            &theirs.invitation,
            &theirs.sign_in,
            &globex.id,
        ];
        let before = snapshot(&app, &globex.id).await;

        let mut callers: Vec<(String, Option<Role>, Client)> =
            vec![("nobody".into(), None, app.client())];
        for role in [Role::Viewer, Role::Editor, Role::Admin] {
            let email = format!("{role:?}@acme.test").to_lowercase();
            let client = app.sign_in_new_member("acme", &email, role).await;
            callers.push((format!("acme's {role:?}"), Some(role), client));
        }
        callers.push(("acme's owner".into(), Some(Role::Owner), acme_owner));

        let mut wrong = Vec::new();
        for call in &table {
            let args = (call.args)(&theirs);
            for (who, role, client) in &callers {
                let (status, body) = send(&app, client, None, call.endpoint, &args).await;
                let allowed = match (call.least, role) {
                    (Least::Anyone, _) => true,
                    (Least::Member(_), None) => false,
                    (Least::Member(least), Some(role)) => rank(*role) >= rank(least),
                };
                let expected: &[u16] = match (allowed, role, call.reach) {
                    (false, None, _) => &[401],
                    (false, Some(_), _) => &[403],
                    (true, _, Reach::TheirId) => &[404],
                    (true, _, Reach::TheirName) => &[200, 404, 409],
                    // A stranger's own answers: a wrong password, a bad link, too many tries.
                    (true, _, Reach::OwnTenant) if call.least == Least::Anyone => {
                        &[200, 401, 422, 429]
                    }
                    // Its own answer, whatever it is, as long as it is an answer (a wrong
                    // current password is one).
                    (true, _, Reach::OwnTenant) => &[200, 409, 422],
                };
                if !expected.contains(&status) {
                    wrong.push(format!(
                        "{} by {who}: {status}, expected {expected:?}: {body}",
                        call.endpoint
                    ));
                }
                if let Some(leak) = secret_strings.iter().find(|s| body.contains(**s)) {
                    wrong.push(format!("{} by {who} showed their {leak}", call.endpoint));
                }
                if call.reach != Reach::OwnTenant && allowed && role.is_some() {
                    let after = snapshot(&app, &globex.id).await;
                    if after != before {
                        wrong.push(format!(
                            "{} by {who} changed the other tenant",
                            call.endpoint
                        ));
                    }
                }
            }
        }

        // The business in the address is checked too: every call a member may make,
        // made by acme's owner as a page of globex (or of no business) would make it,
        // is answered 404, the same for a business that exists and one that does not.
        let (_, _, acme_owner) = callers.last().unwrap();
        for call in table.iter().filter(|c| c.least != Least::Anyone) {
            let args = (call.args)(&theirs);
            let mut answers = Vec::new();
            for tenant in ["globex", "no-such-business"] {
                let (status, body) =
                    send(&app, acme_owner, Some(tenant), call.endpoint, &args).await;
                if status != 404 {
                    wrong.push(format!(
                        "{} at /t/{tenant}/: {status}, expected 404: {body}",
                        call.endpoint
                    ));
                }
                if let Some(leak) = secret_strings.iter().find(|s| body.contains(**s)) {
                    wrong.push(format!(
                        "{} at /t/{tenant}/ showed their {leak}",
                        call.endpoint
                    ));
                }
                answers.push(body);
            }
            if answers[0] != answers[1] {
                wrong.push(format!(
                    "{} tells a business one is not part of from none: {answers:?}",
                    call.endpoint
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong answers:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        assert_eq!(
            snapshot(&app, &globex.id).await,
            before,
            "the other tenant is as it was"
        );
    }
);
