//! BizOSaaS, the isomorphic part: types shared by server and browser, server functions,
//! and the hydrated dashboard and CMS. Tenant sites are rendered by `sites` on the server.

#![forbid(unsafe_code)]
// Deep view types of the hydrated feed exceed the default limit in release builds.
#![recursion_limit = "256"]

pub mod accounts;
pub mod activity;
pub mod analytics;
pub mod api_keys;
pub mod approvals;
pub mod auth;
pub mod cms;
pub mod crm;
pub mod dashboard;
pub mod digest;
pub mod domains;
pub mod error;
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod llm;
pub mod mail;
pub mod media;
pub mod onboarding;
pub mod plans;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod signals;
pub mod sites;
pub mod team;
pub mod tenancy;
pub mod time;
pub mod two_factor;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

/// The HTML document around the hydrated app (dashboard, CMS, sign-in); drawn by the
/// server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex"/>
                <link rel="icon" href="/favicon.ico"/>
                <link id="leptos" rel="stylesheet" href=sites::render::stylesheet()/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <leptos_meta::MetaTags/>
            </head>
            <body class="app bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Lets people and browser tests tell that the page has become interactive.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="BizOSaaS"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=auth::pages::LoginPage/>
                <Route path=path!("/login/code") view=auth::pages::CodePage/>
                <Route path=path!("/account/two-factor") view=two_factor::pages::TwoFactorPage/>
                <Route path=path!("/signup") view=accounts::pages::SignUpPage/>
                <Route path=path!("/reset-password") view=accounts::pages::ResetPasswordPage/>
                <Route path=path!("/invite") view=team::pages::InvitationPage/>
                <Route path=path!("/docs/agent-api") view=api_keys::pages::AgentApiReferencePage/>
                <ParentRoute path=path!("") view=dashboard::pages::SignedInLayout>
                    <Route path=path!("/t/:tenant/dashboard") view=dashboard::pages::DashboardPage/>
                    <Route path=path!("/account") view=accounts::pages::AccountPage/>
                    <Route path=path!("/businesses/new") view=accounts::pages::NewBusinessPage/>
                    <Route path=path!("/t/:tenant/dashboard/activity") view=dashboard::pages::ActivityPage/>
                    <Route path=path!("/t/:tenant/dashboard/approvals") view=approvals::pages::ApprovalsPage/>
                    <Route path=path!("/t/:tenant/dashboard/contacts") view=crm::pages::ContactsPage/>
                    <Route path=path!("/t/:tenant/dashboard/settings") view=tenancy::pages::SettingsPage/>
                    <Route path=path!("/t/:tenant/dashboard/team") view=team::pages::TeamPage/>
                    <Route path=path!("/t/:tenant/dashboard/welcome") view=onboarding::pages::WelcomePage/>
                    <Route path=path!("/t/:tenant/cms") view=cms::pages::CmsHome/>
                    <Route path=path!("/t/:tenant/cms/posts/:id") view=cms::pages::PostEditorPage/>
                    <Route path=path!("/t/:tenant/cms/products/:id") view=cms::pages::ProductEditorPage/>
                    <Route path=path!("/t/:tenant/cms/pages/:id") view=cms::pages::PageEditorPage/>
                    <Route path=path!("/t/:tenant/cms/media") view=media::pages::MediaPage/>
                    <Route path=path!("/t/:tenant/cms/audit") view=cms::audit::AuditPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
pub(crate) fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="p-8 text-center">
            <h1 class="text-2xl font-bold">"Page not found"</h1>
            <a class="text-indigo-700 underline" href="/dashboard" rel="external">"Back to the dashboard"</a>
        </main>
    }
}
