//! The signed-in shell (navigation, tenant, sign out) and the dashboard pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

use super::api::load_workspace;
use super::Workspace;
use crate::activity::ui::ActivityFeed;
use crate::analytics::ui::SiteVisits;
use crate::error::AppError;
use crate::ui::{Card, ErrorNotice, Loading, Menu};

/// The layout route of every signed-in page: navigation and tenant header, with the
/// page in its `Outlet`. The workspace is loaded once, when the first signed-in page
/// opens, not again on each navigation; pages get it from context.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    // Counted, not owned by the layout's scope: the server's Suspense may look at it once
    // more after the request's scope is gone, and an owned one panics then.
    let workspace = ArcResource::new(|| (), |_| load_workspace());
    // A page's calls are bound to the business it was loaded for: a link into another
    // business (or out of all of them) loads that page anew instead of reusing this one.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let path = location.pathname.get();
        if !crate::tenancy::address::calls_go_to(&path) {
            let search = location.search.get_untracked();
            let target = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            let _ = window().location().assign(&target);
        }
    });
    view! {
        <Suspense fallback=|| view! { <div class="p-8"><Loading what="your workspace"/></div> }>
            {move || {
                let workspace = workspace.clone();
                Suspend::new(async move {
                match workspace.await {
                    Ok(ws) => {
                        provide_context(ws.clone());
                        view! {
                            <div class="min-h-screen bg-slate-50">
                                <TopBar workspace=ws.clone()/>
                                {ws.member.email_verified_at.is_none().then(|| view! {
                                    <crate::accounts::pages::VerifyEmailBanner email=ws.member.email.clone()/>
                                })}
                                <main id="main" tabindex="-1" class="mx-auto max-w-6xl space-y-6 px-4 py-6 focus:outline-none"><Outlet/></main>
                            </div>
                        }.into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <crate::NotFound/> }.into_any(),
                    Err(err) => {
                        // No screen comes after an error to say the page is interactive.
                        crate::mark_interactive();
                        match err {
                            AppError::NotSignedIn => view! {
                                <div class="p-8 space-y-3">
                                    <ErrorNotice message="Your session has ended."/>
                                    <a class="text-indigo-700 underline" href="/login" rel="external">"Sign in again"</a>
                                </div>
                            }.into_any(),
                            err => view! { <div class="p-8"><ErrorNotice message=err.to_string()/></div> }.into_any(),
                        }
                    }
                }
                })
            }}
        </Suspense>
    }
}

/// A link of the navigation: its words, where it goes, and whether only that exact
/// address makes it current (Overview is not current on every `/dashboard/...`).
type NavLink = (&'static str, &'static str, bool);

/// The sections of the signed-in app, in the groups the navigation shows.
const NAVIGATION: [(&str, &[NavLink]); 3] = [
    (
        "Dashboard",
        &[
            ("Overview", "/dashboard", true),
            ("Activity", "/dashboard/activity", false),
            ("Approvals", "/dashboard/approvals", false),
            ("Contacts", "/dashboard/contacts", false),
        ],
    ),
    (
        "Content",
        &[
            ("Content", "/cms", true),
            ("Media", "/cms/media", false),
            ("Audit log", "/cms/audit", false),
        ],
    ),
    (
        "Account",
        &[
            ("Team", "/dashboard/team", false),
            ("Settings", "/dashboard/settings", false),
        ],
    ),
];

/// The top bar: the groups side by side on wide screens, behind a "Menu" button on
/// narrow ones; the tenant and sign-out in an account menu.
#[component]
fn TopBar(workspace: Workspace) -> AnyView {
    let menu_open = RwSignal::new(false);
    let close = move || menu_open.set(false);
    let link = "inline-flex h-14 items-center whitespace-nowrap border-b-2 border-transparent px-2 text-sm font-medium text-slate-700 hover:border-slate-300 hover:text-slate-900 aria-[current=page]:border-indigo-600 aria-[current=page]:text-indigo-700";
    let menu_link = "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700";
    let tenant = workspace.member.tenant_name.clone();
    let email = workspace.member.email.clone();
    let home = workspace.href("/dashboard");
    let slug = workspace.member.tenant_slug.clone();
    let menu_workspace = workspace.clone();
    let in_business = move |path: &str| crate::tenancy::address::within(&slug, path);
    let initial = tenant
        .chars()
        .next()
        .unwrap_or('?')
        .to_uppercase()
        .to_string();
    let on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close();
        }
    };
    view! {
        // The router would treat "#main" as a navigation; focus moves by hand.
        <a href="#main" on:click=|ev: leptos::ev::MouseEvent| {
                use wasm_bindgen::JsCast;
                ev.prevent_default();
                if let Some(main) = document().get_element_by_id("main").and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = main.focus();
                }
            }
            class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow">
            "Skip to content"
        </a>
        <header class="relative border-b border-slate-200 bg-white" on:keydown=on_escape>
            <crate::ScreenProgress/>
            <div class="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4">
                <a href=home class="shrink-0 font-bold text-slate-900">"BizOSaaS"</a>
                <nav class="hidden items-center lg:flex" aria-label="Main">
                    {NAVIGATION.iter().enumerate().map(|(g, (_, links))| view! {
                        <div class=if g == 0 { "flex items-center gap-1" } else { "ml-3 flex items-center gap-1 border-l border-slate-200 pl-3" }>
                            {links.iter().map(|(label, href, exact)| view! {
                                <A attr:class=link href=in_business(href) exact=*exact>{*label}</A>
                            }).collect_view()}
                        </div>
                    }).collect_view()}
                </nav>
                <div class="ml-auto hidden lg:block">
                    <Menu testid="account-menu" button=ViewFn::from(move || view! {
                        <span aria-hidden="true" class="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-indigo-700 text-xs font-bold text-white">{initial.clone()}</span>
                        <span class="truncate" data-testid="tenant-name">{tenant.clone()}</span>
                    })>
                        <p class="truncate px-3 py-2 text-sm text-slate-700">{format!("Signed in as {}", email)}</p>
                        <Businesses workspace=menu_workspace.clone()/>
                        <a href="/account" rel="external" class="block rounded-md px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">"Your account"</a>
                        <SignOut/>
                    </Menu>
                </div>
                <button type="button" data-testid="menu-button" class="ml-auto rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 lg:hidden"
                    aria-controls="main-menu" aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)>
                    {move || if menu_open.get() { "Close" } else { "Menu" }}
                </button>
            </div>
            <Show when=move || menu_open.get()>
                <nav id="main-menu" aria-label="Main" data-testid="main-menu"
                    class="absolute inset-x-0 top-14 z-30 border-b border-slate-200 bg-white px-4 pb-4 shadow-lg lg:hidden">
                    {NAVIGATION.iter().map(|(group, links)| view! {
                        <div class="border-t border-slate-100 pt-3 mt-3 first:mt-0 first:border-t-0">
                            <p class="px-3 text-xs font-semibold uppercase tracking-wide text-slate-600">{*group}</p>
                            {links.iter().map(|(label, href, exact)| view! {
                                <A attr:class=menu_link href=in_business(href) exact=*exact on:click=move |_| close()>{*label}</A>
                            }).collect_view()}
                        </div>
                    }).collect_view()}
                    <div class="mt-3 border-t border-slate-100 pt-3">
                        <p class="truncate px-3 text-sm font-medium text-slate-900">{workspace.member.tenant_name.clone()}</p>
                        <p class="truncate px-3 pb-2 text-sm text-slate-700">{workspace.member.email.clone()}</p>
                        <Businesses workspace=workspace.clone()/>
                        <a class=menu_link href="/account" rel="external">"Your account"</a>
                        <SignOut/>
                    </div>
                </nav>
            </Show>
        </header>
    }
    .into_any()
}

/// The businesses this person belongs to, the current one marked; each opens in its own
/// page (`rel="external"`), so its calls go to it (see `tenancy::address`).
#[component]
fn Businesses(workspace: Workspace) -> impl IntoView {
    let current = workspace.member.tenant_slug.clone();
    let item = "flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700";
    view! {
        <div class="border-y border-slate-100 py-1" data-testid="businesses">
            <p class="px-3 pt-1 text-xs font-semibold uppercase tracking-wide text-slate-600">"Your businesses"</p>
            <ul>
                {workspace.businesses.into_iter().map(|business| {
                    let here = business.slug == current;
                    view! {
                        <li>
                            <a class=item rel="external" href=crate::tenancy::address::within(&business.slug, "/dashboard")
                                aria-current=here.then_some("page") data-testid="business-link">
                                <span class="truncate">{business.name}</span>
                                <span class="text-xs font-normal text-slate-500">{business.role.as_str()}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <a class=item rel="external" href="/businesses/new">"+ Create another business"</a>
        </div>
    }
}

/// Sign-out is a plain form post, so it works before the page is interactive too.
#[component]
fn SignOut() -> impl IntoView {
    view! {
        <form method="post" action="/logout">
            <button type="submit" data-testid="sign-out" class="block w-full rounded-md px-3 py-2 text-left text-sm font-medium text-slate-800 hover:bg-slate-100">"Sign out"</button>
        </form>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    crate::mark_interactive();
    view! {
        <Title text="Dashboard · BizOSaaS"/>
        <crate::onboarding::pages::WelcomeReminder/>
        <Overview/>
        <ActivityFeed/>
        <SiteVisits/>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let role = workspace.member.role.as_str();
    view! {
        <Card title="Overview">
            <div class="flex flex-wrap items-baseline gap-x-6 gap-y-2">
                <h1 class="text-2xl font-bold text-slate-900" data-testid="dashboard-tenant">{workspace.member.tenant_name.clone()}</h1>
                <a class="text-indigo-700 underline" href=workspace.site_url.clone() rel="external" target="_blank">
                    {workspace.site_url.clone()}
                </a>
                <span class="text-sm text-slate-500">{format!("Signed in as {} ({role})", workspace.member.name)}</span>
            </div>
        </Card>
    }
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <Title text="Activity · BizOSaaS"/>
        <crate::activity::history::ActivityHistory/>
    }
}
