//! The team: invitations by emailed link (new people and people with an account),
//! expired, reused, revoked and resent links, roles, removal, ownership, and the rules
//! that keep a business with an owner; every change in the audit log.

use reqwest::Client;
use serde_json::Value;

use crate::common::*;

const STRONG: &str = "violet anvil harbour lantern";

impl TestApp {
    async fn invite(&self, client: &Client, email: &str, role: &str) -> reqwest::Response {
        self.call_form(client, "team/invite", &[("email", email), ("role", role)])
            .await
    }

    /// The token of the newest invitation emailed to `email`.
    async fn invitation_token(&self, email: &str) -> String {
        let body: String = sqlx::query_scalar(
            "select body from outbox where recipient = $1 and kind = 'personal' \
             order by created_at desc, id desc limit 1",
        )
        .bind(email)
        .fetch_one(&self.db.pool)
        .await
        .expect("an invitation email");
        let start = body.find("/invite?token=").expect("a link") + "/invite?token=".len();
        body[start..].split_whitespace().next().unwrap().to_string()
    }

    async fn team(&self, client: &Client) -> Value {
        let response = self.call_form(client, "team/members", &[]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn audit_actions(&self, client: &Client) -> Vec<String> {
        let log: Vec<Value> = self
            .call_form(client, "cms/audit", &[("page", "1")])
            .await
            .json()
            .await
            .unwrap();
        log.iter()
            .filter(|e| e["subject"] == "team")
            .map(|e| {
                format!(
                    "{}: {}",
                    e["action"].as_str().unwrap(),
                    e["title"].as_str().unwrap()
                )
            })
            .collect()
    }
}

fn roles(team: &Value) -> Vec<(String, String)> {
    team["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_string(),
                m["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

on_both_engines!(
    a_new_person_joins_from_the_emailed_link_once,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let bad = app.invite(&owner, "not an address", "editor").await;
        assert_eq!(bad.status(), 422);
        let invited = app.invite(&owner, " Jo@Example.TEST ", "editor").await;
        assert_eq!(invited.status(), 200, "{}", invited.text().await.unwrap());
        let again = app.invite(&owner, "jo@example.test", "viewer").await;
        assert_eq!(again.status(), 409);
        assert!(again.text().await.unwrap().contains("invited already"));
        let team = app.team(&owner).await;
        assert_eq!(team["invitations"][0]["email"], "jo@example.test");
        assert_eq!(team["invitations"][0]["expired"], false);

        let token = app.invitation_token("jo@example.test").await;
        let jo = app.client();
        let offer: Value = app
            .call_form(&jo, "team/invitation", &[("token", &token)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(offer["business"], "Acme Corporation");
        assert_eq!(offer["role"], "editor");
        assert_eq!(offer["has_account"], false);
        let weak = app
            .call_form(
                &jo,
                "team/accept",
                &[("token", &token), ("name", "Jo"), ("password", "password1")],
            )
            .await;
        assert_eq!(
            weak.status(),
            422,
            "a weak password is refused and the link kept"
        );
        let joined = app
            .call_form(
                &jo,
                "team/accept",
                &[
                    ("token", &token),
                    ("name", "Jo Jones"),
                    ("password", STRONG),
                ],
            )
            .await;
        assert!(joined.status().is_redirection() || joined.status().is_success());
        assert_eq!(joined.headers()["location"], "/t/acme/dashboard");
        let me: Value = app
            .call_form_in(&jo, "acme", "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["role"], "editor");
        assert_eq!(me["name"], "Jo Jones");
        assert!(
            me["email_verified_at"].is_i64(),
            "the link proved the address"
        );

        // The link works once.
        let reused = app
            .call_form(
                &app.client(),
                "team/accept",
                &[("token", &token), ("name", "Mallory"), ("password", STRONG)],
            )
            .await;
        assert_eq!(reused.status(), 422);
        assert!(reused.text().await.unwrap().contains("used already"));

        let team = app.team(&owner).await;
        assert!(team["invitations"].as_array().unwrap().is_empty());
        let jo_row = team["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == "jo@example.test")
            .unwrap();
        assert!(jo_row["last_signed_in_at"].is_i64());
        let log = app.audit_actions(&owner).await;
        assert_eq!(
            log,
            [
                "joined: jo@example.test as editor",
                "invited: jo@example.test as editor"
            ]
        );
        // A viewer sees the members, not the invitations.
        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        let seen = app.team(&viewer).await;
        assert!(seen["members"].as_array().unwrap().len() >= 3);
        assert_eq!(
            app.invite(&viewer, "x@example.test", "viewer")
                .await
                .status(),
            403
        );
    }
);

on_both_engines!(
    a_member_cannot_send_invitations_without_end,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        for n in 0..10 {
            let invited = app
                .invite(&owner, &format!("guest{n}@example.test"), "viewer")
                .await;
            assert_eq!(invited.status(), 200, "invitation {n}");
        }
        let refused = app.invite(&owner, "guest10@example.test", "viewer").await;
        assert_eq!(refused.status(), 429);
        let body: Value = refused.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains("try again"),
            "{body}"
        );
        let sent: i64 = sqlx::query_scalar(
            "select count(*) from outbox where recipient = 'guest10@example.test'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(sent, 0, "nothing sent past the allowance");
        // Sending one again counts too; another business's owner is not held back.
        let invitations = app.team(&owner).await["invitations"].clone();
        let id = invitations[0]["id"].as_str().unwrap().to_string();
        let resent = app.call_form(&owner, "team/resend", &[("id", &id)]).await;
        assert_eq!(resent.status(), 429);
        let globex = app.login_as(GLOBEX).await;
        assert_eq!(
            app.invite(&globex, "guest@example.test", "viewer")
                .await
                .status(),
            200
        );
    }
);

on_both_engines!(
    expired_revoked_and_resent_invitations,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        app.invite(&owner, "late@example.test", "viewer").await;
        let first = app.invitation_token("late@example.test").await;
        sqlx::query("update invitations set expires_at = 1 where email = 'late@example.test'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let visitor = app.client();
        let expired = app
            .call_form(&visitor, "team/invitation", &[("token", &first)])
            .await;
        assert_eq!(expired.status(), 422);
        assert!(expired.text().await.unwrap().contains("expired"));
        let team = app.team(&owner).await;
        assert_eq!(team["invitations"][0]["expired"], true);

        // Sent again: a new link for seven more days; the old one is gone.
        let id = team["invitations"][0]["id"].as_str().unwrap().to_string();
        let resent = app.call_form(&owner, "team/resend", &[("id", &id)]).await;
        assert_eq!(resent.status(), 200);
        let second = app.invitation_token("late@example.test").await;
        assert_ne!(first, second);
        let old = app
            .call_form(&visitor, "team/invitation", &[("token", &first)])
            .await;
        assert_eq!(old.status(), 422);
        let offer = app
            .call_form(&visitor, "team/invitation", &[("token", &second)])
            .await;
        assert_eq!(offer.status(), 200);

        // Revoked: the link stops working, and says so.
        let revoked = app.call_form(&owner, "team/revoke", &[("id", &id)]).await;
        assert_eq!(revoked.status(), 200);
        let refused = app
            .call_form(
                &visitor,
                "team/accept",
                &[("token", &second), ("name", "Late"), ("password", STRONG)],
            )
            .await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("withdrawn"));
        let users: i64 =
            sqlx::query_scalar("select count(*) from users where email = 'late@example.test'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(users, 0, "nothing was created");
        let log = app.audit_actions(&owner).await;
        assert_eq!(
            log,
            [
                "invitation revoked: late@example.test",
                "invitation resent: late@example.test as viewer",
                "invited: late@example.test as viewer"
            ]
        );
    }
);

on_both_engines!(
    someone_with_an_account_joins_after_signing_in_as_the_invited_address,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        app.invite(&owner, GLOBEX.0, "viewer").await;
        let token = app.invitation_token(GLOBEX.0).await;

        let stranger = app.client();
        let offer: Value = app
            .call_form(&stranger, "team/invitation", &[("token", &token)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(offer["has_account"], true);
        let unsigned = app
            .call_form(&stranger, "team/accept", &[("token", &token)])
            .await;
        assert_eq!(unsigned.status(), 401);
        // Signed in as someone else: refused, and the link still works.
        let wrong = app
            .call_form(&owner, "team/accept", &[("token", &token)])
            .await;
        assert_eq!(wrong.status(), 422);
        assert!(wrong
            .text()
            .await
            .unwrap()
            .contains("This invitation is for owner@globex.test"));

        let globex_owner = app.login_as(GLOBEX).await;
        let joined = app
            .call_form(&globex_owner, "team/accept", &[("token", &token)])
            .await;
        assert!(joined.status().is_redirection() || joined.status().is_success());
        let in_acme: Value = app
            .call_form_in(&globex_owner, "acme", "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(in_acme["role"], "viewer");
        let in_globex: Value = app
            .call_form_in(&globex_owner, "globex", "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(in_globex["role"], "owner");
    }
);

on_both_engines!(
    a_business_always_keeps_an_owner_and_admins_cannot_make_owners,
    |app: TestApp| async move {
        use app::tenancy::Role;
        let owner = app.login_as(ACME).await;
        let admin = app
            .sign_in_new_member("acme", "admin@acme.test", Role::Admin)
            .await;
        app.sign_in_new_member("acme", "editor@acme.test", Role::Editor)
            .await;
        let id = |email: &'static str| {
            let db = app.db.clone();
            async move {
                sqlx::query_scalar::<_, String>("select id from users where email = $1")
                    .bind(email)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap()
            }
        };
        let (owner_id, admin_id, editor_id) = (
            id(ACME.0).await,
            id("admin@acme.test").await,
            id("editor@acme.test").await,
        );
        let change = |client: &Client, user: &str, role: &str| {
            let (client, user, role) = (client.clone(), user.to_string(), role.to_string());
            let app = &app;
            async move {
                app.call_form(
                    &client,
                    "team/change_role",
                    &[("user_id", &user), ("role", &role)],
                )
                .await
                .status()
            }
        };

        // The last owner can neither step down nor leave.
        assert_eq!(change(&owner, &owner_id, "admin").await, 422);
        let leave = app
            .call_form(&owner, "team/remove", &[("user_id", &owner_id)])
            .await;
        assert_eq!(leave.status(), 422);
        assert!(leave.text().await.unwrap().contains("needs an owner"));
        // Admins manage everyone below owner, and never make or unmake owners.
        assert_eq!(change(&admin, &editor_id, "admin").await, 200);
        assert_eq!(change(&admin, &editor_id, "owner").await, 422);
        assert_eq!(change(&admin, &owner_id, "viewer").await, 422);
        assert_eq!(
            app.invite(&admin, "boss@example.test", "owner")
                .await
                .status(),
            403
        );
        let remove_owner = app
            .call_form(&admin, "team/remove", &[("user_id", &owner_id)])
            .await;
        assert_eq!(remove_owner.status(), 422);
        assert_eq!(
            app.call_form(&admin, "team/transfer", &[("user_id", &admin_id)])
                .await
                .status(),
            403
        );
        // An unknown or another business's member is not found.
        assert_eq!(change(&owner, "no-such-user", "viewer").await, 404);

        // The owner hands over ownership and stays as an admin.
        let handed = app
            .call_form(&owner, "team/transfer", &[("user_id", &admin_id)])
            .await;
        assert_eq!(handed.status(), 200, "{}", handed.text().await.unwrap());
        let team = app.team(&owner).await;
        let roles = roles(&team);
        assert!(roles.contains(&(ACME.0.to_string(), "admin".to_string())));
        assert!(roles.contains(&("admin@acme.test".to_string(), "owner".to_string())));
        // Now the new owner may remove the old one, who is only an admin.
        let removed = app
            .call_form(&admin, "team/remove", &[("user_id", &owner_id)])
            .await;
        assert_eq!(removed.status(), 200);
        assert_eq!(
            app.call_form_in(&owner, "acme", "current_member", &[])
                .await
                .status(),
            404,
            "a removed member's next call finds no business"
        );
        let log = app.audit_actions(&admin).await;
        assert_eq!(
            log,
            [
                "removed: Acme Corporation Owner (admin)",
                "ownership transferred: to A Member",
                "role changed: A Member from editor to admin"
            ]
        );
    }
);

on_both_engines!(
    an_unverified_owner_cannot_invite,
    |app: TestApp| async move {
        let client = app.client();
        let signed_up = app
            .call_form(
                &client,
                "accounts/sign_up",
                &[
                    ("name", "Joe Baker"),
                    ("email", "joe@bakery.test"),
                    ("password", STRONG),
                    ("business", "Joe's Bakery"),
                    ("address", "joes-bakery"),
                ],
            )
            .await;
        assert!(signed_up.status().is_redirection() || signed_up.status().is_success());
        let refused = app.invite(&client, "help@bakery.test", "editor").await;
        assert_eq!(refused.status(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("Verify your own email"));
    }
);
