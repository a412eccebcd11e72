//! Several businesses per person: the business is part of every signed-in address
//! (`/t/{slug}/...`), checked on every call, so two tabs on two businesses never mix.

use reqwest::Client;
use serde_json::{json, Value};

use crate::common::*;

impl TestApp {
    /// Makes acme's owner an editor of globex too.
    async fn acme_owner_edits_globex(&self) {
        let user: String = sqlx::query_scalar("select id from users where email = $1")
            .bind(ACME.0)
            .fetch_one(&self.db.pool)
            .await
            .unwrap();
        let globex = app::tenancy::store::tenant_by_slug(&self.db, "globex")
            .await
            .unwrap()
            .unwrap();
        app::auth::store::add_membership(
            &self.db.pool,
            &globex.id,
            &user,
            app::tenancy::Role::Editor,
        )
        .await
        .unwrap();
    }

    async fn who_in(&self, client: &Client, tenant: &str) -> Value {
        self.call_form_in(client, tenant, "current_member", &[])
            .await
            .json()
            .await
            .unwrap()
    }

    async fn page_of(&self, client: &Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.unwrap()
    }
}

fn titles(posts: &Value) -> Vec<String> {
    posts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["draft"]["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

on_both_engines!(
    one_person_works_in_two_businesses_at_once,
    |app: TestApp| async move {
        app.acme_owner_edits_globex().await;
        // One session, as two tabs of one browser share it.
        let browser = app.login_as(ACME).await;
        let in_acme = app.who_in(&browser, "acme").await;
        let in_globex = app.who_in(&browser, "globex").await;
        assert_eq!(in_acme["tenant_slug"], "acme");
        assert_eq!(in_acme["role"], "owner");
        assert_eq!(in_globex["tenant_slug"], "globex");
        assert_eq!(in_globex["role"], "editor");

        // A post written in the globex tab lands in globex, whatever the acme tab does.
        let created = app
            .call_json_in(
                &browser,
                "globex",
                "cms/create_post",
                &json!({ "slug": "from-the-globex-tab",
                         "content": { "title": "From the globex tab", "body": "Hello" } }),
            )
            .await;
        assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
        assert_eq!(app.who_in(&browser, "acme").await["tenant_slug"], "acme");
        let globex_posts: Value = app
            .call_form_in(&browser, "globex", "cms/posts", &[])
            .await
            .json()
            .await
            .unwrap();
        let acme_posts: Value = app
            .call_form_in(&browser, "acme", "cms/posts", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(titles(&globex_posts).contains(&"From the globex tab".to_string()));
        assert!(!titles(&acme_posts).contains(&"From the globex tab".to_string()));

        // The role is the one held in the business of the address: an editor of globex
        // cannot manage its API keys, while owning acme.
        let keys_in_globex = app
            .call_form_in(&browser, "globex", "api_keys/create", &[("name", "x")])
            .await;
        assert_eq!(keys_in_globex.status(), 403);
        let keys_in_acme = app
            .call_form_in(&browser, "acme", "api_keys/list", &[])
            .await;
        assert_eq!(keys_in_acme.status(), 200);

        // The header lists both businesses.
        let workspace: Value = app
            .call_form_in(&browser, "globex", "workspace", &[])
            .await
            .json()
            .await
            .unwrap();
        let slugs: Vec<&str> = workspace["businesses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["acme", "globex"]);
        assert_eq!(workspace["member"]["tenant_slug"], "globex");
    }
);

on_both_engines!(
    a_business_one_is_not_part_of_is_not_found_by_any_address,
    |app: TestApp| async move {
        let acme_owner = app.login_as(ACME).await;
        // Pages: the same 404 for a business that exists and one that does not.
        let theirs = app.page_of(&acme_owner, "/t/globex/dashboard").await;
        assert_eq!(theirs.status(), 404);
        let theirs = theirs.text().await.unwrap();
        assert!(!theirs.to_lowercase().contains("globex"), "{theirs}");
        let nobodys = app.page_of(&acme_owner, "/t/nobody-here/cms").await;
        assert_eq!(nobodys.status(), 404);
        assert_eq!(nobodys.text().await.unwrap(), theirs);
        for odd in [
            "/t/Globex/dashboard",
            "/t/a%2Fb/api/workspace",
            "/t/a_b/cms",
        ] {
            let response = app.page_of(&acme_owner, odd).await;
            assert_eq!(response.status(), 404, "{odd}");
        }
        // Server functions, the live feed's stream and uploads.
        let call = app
            .call_form_in(&acme_owner, "globex", "workspace", &[])
            .await;
        assert_eq!(call.status(), 404);
        let stream = app
            .page_of(&acme_owner, "/t/globex/api/agent-tasks/stream")
            .await;
        assert_eq!(stream.status(), 404);
        let upload = acme_owner
            .post(app.url("/t/globex/api/media/upload?filename=x.png"))
            .header("content-type", "application/octet-stream")
            .body(png(4, 4))
            .send()
            .await
            .unwrap();
        assert_eq!(upload.status(), 404);
        let globex = app::tenancy::store::tenant_by_slug(&app.db, "globex")
            .await
            .unwrap()
            .unwrap();
        let media: i64 = sqlx::query_scalar("select count(*) from media where tenant_id = $1")
            .bind(&globex.id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(media, 0, "nothing was uploaded into globex");

        // Their own business's pages open; signed out, they lead to sign-in and back.
        let own = app.page_of(&acme_owner, "/t/acme/dashboard").await;
        assert_eq!(own.status(), 200);
        let visitor = app.page_of(&app.client(), "/t/acme/cms/media").await;
        assert!(visitor.status().is_redirection());
        assert_eq!(
            visitor.headers()["location"],
            "/login?next=%2Ft%2Facme%2Fcms%2Fmedia"
        );
    }
);

on_both_engines!(
    addresses_without_a_business_open_the_one_used_last,
    |app: TestApp| async move {
        app.acme_owner_edits_globex().await;
        let browser = app.login_as(ACME).await;
        let old_link = app.page_of(&browser, "/cms/media?page=2").await;
        assert!(old_link.status().is_redirection());
        assert_eq!(old_link.headers()["location"], "/t/acme/cms/media?page=2");
        assert_eq!(
            app.page_of(&browser, "/t/globex/dashboard").await.status(),
            200
        );
        let old_link = app.page_of(&browser, "/dashboard").await;
        assert_eq!(old_link.headers()["location"], "/t/globex/dashboard");
    }
);

on_both_engines!(
    a_person_creates_another_business_and_owns_it,
    |app: TestApp| async move {
        let browser = app.login_as(ACME).await;
        let bad = app
            .call_form(
                &browser,
                "accounts/create_business",
                &[("business", " "), ("address", "ad")],
            )
            .await;
        assert_eq!(bad.status(), 422);
        let taken = app
            .call_form(
                &browser,
                "accounts/create_business",
                &[("business", "Globex Two"), ("address", "globex")],
            )
            .await;
        assert_eq!(taken.status(), 409);
        assert!(taken.text().await.unwrap().contains("globex is taken"));
        let tenants_before: i64 = sqlx::query_scalar("select count(*) from tenants")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();

        let created = app
            .call_form(
                &browser,
                "accounts/create_business",
                &[
                    ("business", "Road Runner Supply"),
                    ("address", "road-runner"),
                ],
            )
            .await;
        assert!(
            created.status().is_success() || created.status().is_redirection(),
            "{}",
            created.text().await.unwrap()
        );
        let tenants_after: i64 = sqlx::query_scalar("select count(*) from tenants")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(tenants_after, tenants_before + 1);
        let me = app.who_in(&browser, "road-runner").await;
        assert_eq!(me["tenant_name"], "Road Runner Supply");
        assert_eq!(me["role"], "owner");
        assert_eq!(app.who_in(&browser, "acme").await["role"], "owner");
        let site = app.get_site("road-runner", "/").await;
        assert_eq!(site.status(), 200);
        assert!(site.text().await.unwrap().contains("Road Runner Supply"));
    }
);
