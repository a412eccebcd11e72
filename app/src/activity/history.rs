//! `/dashboard/activity`: every task the tenant's agents ran, filtered by date, type,
//! status and campaign, a page of 25 at a time, with error details and Retry.

use leptos::prelude::*;

use super::api::{load_history, RetryTask};
use super::ui::TaskRow;
use super::{TaskFilter, TaskStatus};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Card, ErrorNotice, Loading, Pager};

#[component]
pub fn ActivityHistory() -> impl IntoView {
    let can_retry = expect_context::<Workspace>()
        .member
        .role
        .allows(Role::Editor);
    let filter = RwSignal::new(TaskFilter {
        page: 1,
        ..Default::default()
    });
    let retry = ServerAction::<RetryTask>::new();
    let history = Resource::new(
        move || (filter.get(), retry.version().get()),
        |(filter, _)| load_history(filter),
    );
    // A changed filter starts again at page 1.
    let set = move |change: fn(&mut TaskFilter, String), value: String| {
        filter.update(|f| {
            change(f, value);
            f.page = 1;
        });
    };
    let input_class = "mt-1 block rounded-md border border-slate-300 px-2 py-1 text-sm";
    view! {
        <Card title="Activity history">
            <form class="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter the history"
                on:submit=|ev| ev.prevent_default()>
                <label>"From"
                    <input type="date" class=input_class data-testid="filter-from"
                        on:change=move |ev| set(|f, v| f.from = non_empty(v), event_target_value(&ev))/>
                </label>
                <label>"Until"
                    <input type="date" class=input_class data-testid="filter-until"
                        on:change=move |ev| set(|f, v| f.until = non_empty(v), event_target_value(&ev))/>
                </label>
                <label>"Status"
                    <select class=input_class data-testid="filter-status"
                        on:change=move |ev| set(|f, v| f.status = TaskStatus::parse(&v), event_target_value(&ev))>
                        <option value="">"Any"</option>
                        {[TaskStatus::Pending, TaskStatus::Running, TaskStatus::Completed, TaskStatus::Failed]
                            .map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> })}
                    </select>
                </label>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let choices = history.await.map(|h| (h.task_types, h.campaigns)).unwrap_or_default();
                        view! {
                            <label>"Type"
                                <select class=input_class data-testid="filter-type"
                                    prop:value=move || filter.with(|f| f.task_type.clone().unwrap_or_default())
                                    on:change=move |ev| set(|f, v| f.task_type = non_empty(v), event_target_value(&ev))>
                                    <option value="">"Any"</option>
                                    {choices.0.into_iter().map(|t| view! { <option value=t.clone()>{t.replace('_', " ")}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>"Campaign"
                                <select class=input_class data-testid="filter-campaign"
                                    prop:value=move || filter.with(|f| f.campaign_id.clone().unwrap_or_default())
                                    on:change=move |ev| set(|f, v| f.campaign_id = non_empty(v), event_target_value(&ev))>
                                    <option value="">"Any"</option>
                                    {choices.1.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                        }
                    })}
                </Transition>
            </form>
            {move || retry.value().get().and_then(Result::err).map(|err| view! {
                <div class="mt-3"><ErrorNotice message=err.to_string()/></div>
            })}
            <Transition fallback=|| view! { <Loading what="the history"/> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(page) if page.tasks.is_empty() => view! {
                            <p class="mt-4 text-sm text-slate-500" data-testid="history-empty">
                                {if page.total == 0 && filter.with_untracked(|f| *f == TaskFilter { page: f.page, ..Default::default() }) {
                                    "No agent has done anything for you yet."
                                } else {
                                    "No task matches these filters."
                                }}
                            </p>
                        }.into_any(),
                        Ok(page) => {
                            let (current, pages, total) = (page.page, page.pages, page.total);
                            view! {
                                <p class="mt-4 text-sm text-slate-500" data-testid="history-count">
                                    {format!("{total} task{}", if total == 1 { "" } else { "s" })}
                                </p>
                                <ul class="divide-y divide-slate-100" data-testid="history">
                                    {page.tasks.into_iter().map(|task| {
                                        let retryable = can_retry && task.status == TaskStatus::Failed && task.job_id.is_some();
                                        let id = task.id.clone();
                                        view! {
                                            <TaskRow task/>
                                            {retryable.then(|| view! {
                                                <li class="pb-3">
                                                    <button type="button" data-testid="retry"
                                                        class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50 disabled:opacity-50"
                                                        disabled=move || retry.pending().get()
                                                        on:click=move |_| { retry.dispatch(RetryTask { id: id.clone() }); }>"Retry"</button>
                                                </li>
                                            })}
                                        }
                                    }).collect_view()}
                                </ul>
                                <Pager page=usize::try_from(current).unwrap_or(1) pages=usize::try_from(pages).unwrap_or(1)
                                    label="Pages of the history" previous="← Newer" next="Older →"
                                    on_page=Callback::new(move |n: usize| filter.update(|f| f.page = n as i64))/>
                            }.into_any()
                        }
                        Err(err) => view! { <div class="mt-3"><ErrorNotice message=err.to_string()/></div> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
}

fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}
