//! The contact form on a tenant's site: no JavaScript, validated, spam-resistant, and
//! every lead lands in that tenant's CRM and activity feed only.

use crate::common::*;
use serde_json::Value;

/// The home page's form block index, as the page itself says.
async fn form_block(app: &TestApp, tenant: &str) -> String {
    let home = app.get_site(tenant, "/").await.text().await.unwrap();
    let start = home
        .find(r#"name="_block" value=""#)
        .expect("a form on the home page")
        + 21;
    home[start..].split('"').next().unwrap().to_string()
}

async fn contacts(app: &TestApp, who: (&str, &str)) -> Vec<Value> {
    let client = app.login_as(who).await;
    let response = app.call_form(&client, "crm/contacts", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

on_both_engines!(
    a_form_becomes_a_contact_of_that_tenant_only,
    |app: TestApp| async move {
        let block = form_block(&app, "acme").await;
        let response = app
            .post_site_form(
                "acme",
                &[
                    ("_page", ""),
                    ("_block", &block),
                    ("_website", ""),
                    ("name", "Ada Lovelace"),
                    ("email", "Ada@Example.com"),
                    ("company", "Analytical Engines"),
                    ("message", "Do you make <b>anvils</b> to order?"),
                ],
            )
            .await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        assert!(page.contains("Thank you! Someone from Acme Corporation will reply within a day."));
        assert!(
            page.contains("--color-primary:#e11d48"),
            "the thank-you is themed"
        );

        let acme = contacts(&app, ACME).await;
        assert_eq!(acme.len(), 1);
        assert_eq!(acme[0]["email"], "ada@example.com");
        assert_eq!(acme[0]["name"], "Ada Lovelace");
        assert_eq!(acme[0]["company"], "Analytical Engines");
        let fields = &acme[0]["submissions"][0]["fields"];
        assert_eq!(
            fields[3],
            serde_json::json!(["How can we help?", "Do you make <b>anvils</b> to order?"])
        );
        assert!(
            contacts(&app, GLOBEX).await.is_empty(),
            "nothing lands in globex"
        );

        // The feed tells the owner.
        let client = app.login_as(ACME).await;
        let feed = app.feed(&client).await;
        assert_eq!(feed["tasks"][0]["task_type"], "lead_captured");
        assert_eq!(feed["tasks"][0]["status"], "completed");
        assert_eq!(
            feed["tasks"][0]["summary"],
            "New lead: Ada Lovelace <ada@example.com> via /"
        );
        let globex = app.login_as(GLOBEX).await;
        assert!(app.feed(&globex).await["tasks"]
            .as_array()
            .unwrap()
            .is_empty());
    }
);

on_both_engines!(
    a_returning_visitor_updates_their_contact,
    |app: TestApp| async move {
        let block = form_block(&app, "acme").await;
        for (name, email) in [("Ada", "ada@example.com"), ("", "ADA@example.com")] {
            let response = app
                .post_site_form(
                    "acme",
                    &[
                        ("_page", ""),
                        ("_block", &block),
                        ("name", name),
                        ("email", email),
                    ],
                )
                .await;
            // The name is required on this form, so the second one is refused...
            if name.is_empty() {
                assert_eq!(response.status(), 422);
                assert!(response
                    .text()
                    .await
                    .unwrap()
                    .contains("Please fill in “Your name”."));
            } else {
                assert_eq!(response.status(), 200);
            }
        }
        // ...and a complete second one updates the same contact.
        let response = app
            .post_site_form(
                "acme",
                &[
                    ("_page", ""),
                    ("_block", &block),
                    ("name", "Ada King"),
                    ("email", "ADA@example.com"),
                ],
            )
            .await;
        assert_eq!(response.status(), 200);
        let acme = contacts(&app, ACME).await;
        assert_eq!(acme.len(), 1);
        assert_eq!(acme[0]["name"], "Ada King");
        assert_eq!(acme[0]["submissions"].as_array().unwrap().len(), 2);
    }
);

on_both_engines!(
    spam_and_bad_input_store_nothing,
    |app: TestApp| async move {
        let block = form_block(&app, "acme").await;
        let honeypot = app
            .post_site_form(
                "acme",
                &[
                    ("_page", ""),
                    ("_block", &block),
                    ("_website", "http://spam.example"),
                    ("name", "Bot"),
                    ("email", "bot@spam.example"),
                ],
            )
            .await;
        assert_eq!(honeypot.status(), 400);

        let bad_email = app
            .post_site_form(
                "acme",
                &[
                    ("_page", ""),
                    ("_block", &block),
                    ("name", "A"),
                    ("email", "not-an-email"),
                ],
            )
            .await;
        assert_eq!(bad_email.status(), 422);
        assert!(bad_email
            .text()
            .await
            .unwrap()
            .contains("“not-an-email” does not look like an email address."));

        let no_such_form = app
            .post_site_form(
                "acme",
                &[
                    ("_page", ""),
                    ("_block", "0"),
                    ("name", "A"),
                    ("email", "a@b.co"),
                ],
            )
            .await;
        assert_eq!(
            no_such_form.status(),
            404,
            "block 0 is the hero, not a form"
        );
        let draft_page = app
            .post_site_form(
                "acme",
                &[("_page", "pricing"), ("_block", "0"), ("email", "a@b.co")],
            )
            .await;
        assert_eq!(draft_page.status(), 404);

        let huge = "x".repeat(40 * 1024);
        let too_big = app
            .post_site_form(
                "acme",
                &[
                    ("_page", ""),
                    ("_block", &block),
                    ("name", "A"),
                    ("email", "a@b.co"),
                    ("message", &huge),
                ],
            )
            .await;
        assert_eq!(too_big.status(), 413);

        assert!(contacts(&app, ACME).await.is_empty());
    }
);

on_both_engines!(one_ip_cannot_flood_the_form, |app: TestApp| async move {
    let block = form_block(&app, "globex").await;
    for n in 0..5 {
        let email = format!("visitor{n}@example.com");
        let response = app
            .post_site_form(
                "globex",
                &[
                    ("_page", ""),
                    ("_block", &block),
                    ("name", "V"),
                    ("email", &email),
                ],
            )
            .await;
        assert_eq!(response.status(), 200, "submission {n}");
    }
    let sixth = app
        .post_site_form(
            "globex",
            &[
                ("_page", ""),
                ("_block", &block),
                ("name", "V"),
                ("email", "six@example.com"),
            ],
        )
        .await;
    assert_eq!(sixth.status(), 429);
    assert_eq!(sixth.headers()["retry-after"], "60");
    assert_eq!(contacts(&app, GLOBEX).await.len(), 5);
});

on_both_engines!(
    the_contacts_page_lists_leads_for_signed_in_members,
    |app: TestApp| async move {
        let block = form_block(&app, "acme").await;
        app.post_site_form(
            "acme",
            &[
                ("_page", ""),
                ("_block", &block),
                ("name", "Grace Hopper"),
                ("email", "grace@example.com"),
            ],
        )
        .await;
        let client = app.login_as(ACME).await;
        let page = client
            .get(app.url("/t/acme/dashboard/contacts"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Grace Hopper"));
        assert!(html.contains("grace@example.com"));
        let globex = app.login_as(GLOBEX).await;
        let html = globex
            .get(app.url("/t/globex/dashboard/contacts"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("Grace Hopper"));
        assert!(html.contains("No contacts yet."));
        assert_eq!(
            app.client()
                .get(app.url("/dashboard/contacts"))
                .send()
                .await
                .unwrap()
                .status(),
            303
        );
    }
);

on_both_engines!(
    behind_a_proxy_the_limit_is_per_visitor,
    |app: TestApp| async move {
        let block = form_block(&app, "globex").await;
        let form = |email: &'static str| {
            [
                ("_page", ""),
                ("_block", block.as_str()),
                ("name", "V"),
                ("email", email),
            ]
        };

        // Directly reachable: a forged X-Forwarded-For does not dodge the limit.
        for n in 0..5 {
            let forged = format!("10.0.0.{n}");
            let response = app
                .post_site_form_via("globex", Some(&forged), &form("a@example.com"))
                .await;
            assert_eq!(response.status(), 200);
        }
        let sixth = app
            .post_site_form_via("globex", Some("10.9.9.9"), &form("a@example.com"))
            .await;
        assert_eq!(sixth.status(), 429);

        // Behind a trusted proxy, each visitor has their own allowance; only the last
        // entry (the one the proxy appended) counts.
        let proxied = app.spawn_web_only_beside(true).await;
        for _ in 0..5 {
            let response = proxied
                .post_site_form_via(
                    "globex",
                    Some("203.0.113.7, 198.51.100.1"),
                    &form("b@example.com"),
                )
                .await;
            assert_eq!(response.status(), 200);
        }
        let same = proxied
            .post_site_form_via(
                "globex",
                Some("1.2.3.4, 198.51.100.1"),
                &form("b@example.com"),
            )
            .await;
        assert_eq!(same.status(), 429, "a forged first entry is ignored");
        let other = proxied
            .post_site_form_via("globex", Some("198.51.100.2"), &form("c@example.com"))
            .await;
        assert_eq!(other.status(), 200, "another visitor is not held up");
        proxied.stop().await;
    }
);
