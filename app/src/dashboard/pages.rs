//! The signed-in shell (navigation, tenant, sign out) and the dashboard pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::api::load_workspace;
use super::Workspace;
use crate::activity::ui::ActivityFeed;
use crate::analytics::ui::SiteVisits;
use crate::error::AppError;
use crate::ui::{Card, ErrorNotice, Loading};

/// Navigation and tenant header around every signed-in page. Pages get the
/// `Workspace` from context.
#[component]
pub fn SignedInShell(children: ChildrenFn) -> impl IntoView {
    let workspace = Resource::new(|| (), |_| load_workspace());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <div class="p-8"><Loading what="your workspace"/></div> }>
            {move || Suspend::new(async move {
                match workspace.await {
                    Ok(ws) => {
                        provide_context(ws.clone());
                        view! {
                            <div class="min-h-screen bg-slate-50">
                                <TopBar workspace=ws/>
                                <main class="mx-auto max-w-6xl px-4 py-6 space-y-6">{children.with_value(|c| c())}</main>
                            </div>
                        }.into_any()
                    }
                    Err(AppError::NotSignedIn) => view! {
                        <div class="p-8 space-y-3">
                            <ErrorNotice message="Your session has ended."/>
                            <a class="text-indigo-700 underline" href="/login" rel="external">"Sign in again"</a>
                        </div>
                    }.into_any(),
                    Err(err) => view! { <div class="p-8"><ErrorNotice message=err.to_string()/></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TopBar(workspace: Workspace) -> impl IntoView {
    let link = "px-3 py-2 rounded-md text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white";
    view! {
        <header class="bg-white border-b border-slate-200">
            <div class="mx-auto max-w-6xl px-4 h-14 flex items-center gap-6">
                <a href="/dashboard" class="font-bold text-slate-900">"BizOSaaS"</a>
                <nav class="flex gap-1" aria-label="Main">
                    <A attr:class=link href="/dashboard" exact=true>"Overview"</A>
                    <A attr:class=link href="/dashboard/activity">"Activity"</A>
                    <A attr:class=link href="/dashboard/approvals">"Approvals"</A>
                    <A attr:class=link href="/dashboard/contacts">"Contacts"</A>
                    <A attr:class=link href="/dashboard/settings">"Settings"</A>
                    <A attr:class=link href="/cms" exact=true>"Content"</A>
                    <A attr:class=link href="/cms/media">"Media"</A>
                    <A attr:class=link href="/cms/audit">"Audit log"</A>
                </nav>
                <div class="ml-auto flex items-center gap-4 text-sm">
                    <span class="text-slate-600" data-testid="tenant-name">{workspace.member.tenant_name.clone()}</span>
                    <span class="text-slate-400">{workspace.member.email.clone()}</span>
                    <form method="post" action="/logout">
                        <button type="submit" class="text-slate-700 hover:text-slate-900 underline">"Sign out"</button>
                    </form>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text="Dashboard · BizOSaaS"/>
        <SignedInShell>
            <Overview/>
            <ActivityFeed/>
            <SiteVisits/>
        </SignedInShell>
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
        <SignedInShell>
            <crate::activity::history::ActivityHistory/>
        </SignedInShell>
    }
}
