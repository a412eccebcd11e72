//! The custom-domains card of the settings page: each domain with the DNS record to
//! create and whether it has been found.

use leptos::prelude::*;

use super::api::{list_domains, AddDomain, CheckDomain, RemoveDomain, SetDomainWww};
use super::{CustomDomain, DomainStatus};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Button, Card, ErrorNotice, Loading};

#[component]
pub fn Domains() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return view! {
            <Card title="Custom domains">
                <p class="text-sm text-slate-600">"Only owners and admins can manage domains."</p>
            </Card>
        }
        .into_any();
    }
    let add = ServerAction::<AddDomain>::new();
    let check = ServerAction::<CheckDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let www = ServerAction::<SetDomainWww>::new();
    // Reload the list after anything changes it.
    let domains = Resource::new(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                www.version().get(),
                check.version().get(),
            )
        },
        |_| list_domains(),
    );
    let host = RwSignal::new(String::new());
    let add_error = move || {
        add.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            host.set(String::new());
        }
    });
    let action_error = move || {
        [
            check.value().get().and_then(Result::err),
            remove.value().get().and_then(Result::err),
            www.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| e.to_string())
    };
    let site_url = workspace.site_url.clone();
    view! {
        <Card title="Custom domains">
            <p class="text-sm text-slate-600">
                "Your site is always at " <a class="text-indigo-700 underline" href=site_url.clone() rel="external">{site_url.clone()}</a>
                ". Add a domain you own to serve it there as well. Point the domain at this server, then create the TXT record shown; we check it for you."
            </p>
            <form class="mt-4 flex flex-wrap items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddDomain { host: host.get() });
            }>
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"Domain"</span>
                    <input type="text" name="host" placeholder="example.com" required
                        class="mt-1 block w-72 rounded-md border border-slate-300 px-3 py-2 text-sm"
                        prop:value=move || host.get() on:input=move |ev| host.set(event_target_value(&ev))/>
                </label>
                <Button submit=true attr:data-testid="add-domain" attr:disabled=move || add.pending().get()>
                    {move || if add.pending().get() { "Adding…" } else { "Add domain" }}
                </Button>
            </form>
            {move || add_error().map(|message| view! { <div class="mt-3"><ErrorNotice message/></div> })}
            {move || action_error().map(|message| view! { <div class="mt-3"><ErrorNotice message/></div> })}
            <Transition fallback=|| view! { <Loading what="your domains"/> }>
                {move || Suspend::new(async move {
                    match domains.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="mt-6 text-sm text-slate-500" data-testid="domains-empty">"No custom domains yet."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-6 divide-y divide-slate-100" data-testid="domain-list">
                                {list.into_iter().map(|domain| view! {
                                    <DomainRow domain check remove www/>
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

#[component]
fn DomainRow(
    domain: CustomDomain,
    check: ServerAction<CheckDomain>,
    remove: ServerAction<RemoveDomain>,
    www: ServerAction<SetDomainWww>,
) -> impl IntoView {
    let (badge, label) = match domain.status() {
        DomainStatus::Verified => ("bg-green-50 text-green-700", "Verified"),
        DomainStatus::Pending => ("bg-slate-100 text-slate-700", "Waiting for DNS"),
        DomainStatus::Failed => ("bg-amber-50 text-amber-800", "Record not found"),
    };
    let verified = domain.status() == DomainStatus::Verified;
    let host = domain.host.clone();
    let url = format!("https://{}", domain.canonical_host());
    let (record_name, record_value) = (domain.record_name(), domain.record_value());
    let prefer_www = domain.prefer_www;
    let on_check = {
        let host = host.clone();
        move |_| {
            check.dispatch(CheckDomain { host: host.clone() });
        }
    };
    let on_www = {
        let host = host.clone();
        move |_| {
            www.dispatch(SetDomainWww {
                host: host.clone(),
                prefer_www: !prefer_www,
            });
        }
    };
    let on_remove = {
        let host = host.clone();
        move |_| {
            let sure = window()
                .confirm_with_message(&format!("Stop serving your site at {host}?"))
                .unwrap_or(false);
            if sure {
                remove.dispatch(RemoveDomain { host: host.clone() });
            }
        }
    };
    view! {
        <li class="py-4 space-y-2" data-testid="domain">
            <div class="flex flex-wrap items-center gap-3">
                <span class="font-medium text-slate-900">{host.clone()}</span>
                <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {badge}") data-testid="domain-status">{label}</span>
                {verified.then(|| view! { <a class="text-sm text-indigo-700 underline" href=url.clone() rel="external">{url.clone()}</a> })}
                <span class="ml-auto flex gap-2">
                    <button type="button" on:click=on_check disabled=move || check.pending().get()
                        class="rounded-md border border-slate-300 px-3 py-1 text-sm disabled:opacity-50">
                        {move || if check.pending().get() { "Checking…" } else { "Check now" }}
                    </button>
                    <button type="button" on:click=on_www class="rounded-md border border-slate-300 px-3 py-1 text-sm">
                        {if prefer_www { "Serve without www." } else { "Serve at www." }}
                    </button>
                    <button type="button" on:click=on_remove class="rounded-md border border-red-200 px-3 py-1 text-sm text-red-700">"Remove"</button>
                </span>
            </div>
            {(!verified).then(|| view! {
                <div class="rounded-md bg-slate-50 p-3 text-sm">
                    <p class="text-slate-600">"Create this TXT record at your DNS provider:"</p>
                    <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 font-mono text-xs">
                        <dt class="text-slate-500">"Name"</dt><dd class="select-all" data-testid="record-name">{record_name.clone()}</dd>
                        <dt class="text-slate-500">"Value"</dt><dd class="select-all" data-testid="record-value">{record_value.clone()}</dd>
                    </dl>
                </div>
            })}
            {domain.last_error.clone().map(|error| view! { <p class="text-sm text-amber-800">{error}</p> })}
            <p class="text-xs text-slate-500">
                {if prefer_www { format!("{host} redirects to www.{host}.") } else { format!("www.{host} redirects to {host}.") }}
            </p>
        </li>
    }
}
