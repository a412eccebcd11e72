//! The API keys card of `/dashboard/settings`: create a key (shown once), see when each
//! was last used, revoke.

use leptos::prelude::*;

use super::api::{list_api_keys, CreateApiKey, RevokeApiKey};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::time::day_time_label;
use crate::ui::{Button, Card, ErrorNotice, Loading};

#[component]
pub fn ApiKeys() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return view! {
            <Card title="API keys">
                <p class="text-sm text-slate-600">"Only owners and admins can manage API keys."</p>
            </Card>
        }
        .into_any();
    }
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
        }
    });
    let error = move || {
        let failed = |r: Option<Result<_, crate::error::AppError>>| r.and_then(Result::err);
        failed(create.value().get().map(|r| r.map(|_| ())))
            .or_else(|| failed(revoke.value().get()))
            .map(|e| e.to_string())
    };
    view! {
        <Card title="API keys">
            <p class="text-sm text-slate-600">
                "Outside agents report their work to your activity feed with a key: "
                <code>"POST /api/v1/agent-tasks"</code>" with "<code>"Authorization: Bearer <key>"</code>
                ". "<a class="font-medium text-indigo-700 underline" href="/docs/agent-api">"Read the agent API reference"</a>
                " for the fields and errors."
            </p>
            {move || create.value().get().and_then(Result::ok).map(|created| view! {
                <div role="status" data-testid="new-api-key" class="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">
                    <p class="font-medium">{format!("Key “{}” created. Copy it now: it is not shown again.", created.key.name)}</p>
                    <input type="text" readonly aria-label="The new key" value=created.secret.clone()
                        class="mt-2 block w-full rounded border border-green-300 bg-white px-2 py-1 font-mono text-xs"
                        on:focus=|ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }/>
                </div>
            })}
            <form class="mt-4 flex flex-wrap items-end gap-2" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateApiKey { name: name.get_untracked() });
            }>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Name (which agent uses it)"</span>
                    <input type="text" name="key_name" required maxlength=super::MAX_KEY_NAME_CHARS
                        class="mt-1 block w-64 rounded-md border border-slate-300 px-3 py-2"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <Button submit=true attr:disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create key" }}
                </Button>
            </form>
            {move || error().map(|message| view! { <div class="mt-3"><ErrorNotice message/></div> })}
            <Transition fallback=|| view! { <Loading what="keys"/> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="mt-4 text-sm text-slate-500" data-testid="no-api-keys">"No keys yet."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-4 divide-y divide-slate-100 text-sm" data-testid="api-keys">
                                {list.into_iter().map(|key| {
                                    let id = key.id.clone();
                                    let used = key.last_used_at.map_or("never used".to_string(), |at| format!("last used {}", day_time_label(at)));
                                    view! {
                                        <li class="flex flex-wrap items-baseline gap-x-3 py-2" data-testid="api-key">
                                            <span class="font-medium">{key.name.clone()}</span>
                                            <code class="text-slate-500">{format!("{}…", key.prefix)}</code>
                                            <span class="text-slate-500">{format!("by {} on {}, {used}", key.created_by, day_time_label(key.created_at))}</span>
                                            <button type="button" class="ml-auto text-red-700 hover:underline"
                                                on:click=move |_| {
                                                    let sure = window().confirm_with_message("Revoke this key? Agents using it stop working at once.").unwrap_or(false);
                                                    if sure { revoke.dispatch(RevokeApiKey { id: id.clone() }); }
                                                }>"Revoke"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
    .into_any()
}

/// `/docs/agent-api`: how outside agents report to the activity feed, for the people who
/// write them.
#[component]
pub fn AgentApiReferencePage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| super::api::agent_api_reference());
    view! {
        <leptos_meta::Title text="Agent API reference · BizOSaaS"/>
        <div class="min-h-screen bg-slate-50">
            <header class="border-b border-slate-200 bg-white">
                <div class="mx-auto flex h-14 max-w-3xl items-center gap-4 px-4">
                    <a href="/dashboard" rel="external" class="font-bold text-slate-900">"BizOSaaS"</a>
                    <a href="/dashboard/settings" rel="external" class="ml-auto text-sm text-indigo-700 hover:underline">"← API keys in Settings"</a>
                </div>
            </header>
            <main id="main" class="mx-auto max-w-3xl px-4 py-8">
                <Suspense fallback=|| view! { <Loading what="the reference"/> }>
                    {move || Suspend::new(async move {
                        match reference.await {
                            Ok(html) => view! { <article class="prose-block rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="agent-api-reference" inner_html=html></article> }.into_any(),
                            Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}
