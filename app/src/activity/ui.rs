//! The AI Activity Feed widget: the first page from the server, then live events over SSE.

use leptos::prelude::*;

use super::api::{load_feed_page, RunSiteCheck};
use super::{add_started_task, AgentTask, FeedPage};
use crate::ui::{Button, Card, EmptyState, ErrorNotice, Loading, ProgressBar, StatusBadge};

/// The state of the live connection, shown beside the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting,
}

#[component]
pub fn ActivityFeed() -> impl IntoView {
    let first_page = Resource::new(|| (), |_| load_feed_page());
    view! {
        <Suspense fallback=|| view! { <Card title="AI Activity Feed"><Loading what="activity"/></Card> }>
            {move || Suspend::new(async move {
                match first_page.await {
                    Ok(page) => view! { <LiveFeed page/> }.into_any(),
                    Err(err) => view! {
                        <Card title="AI Activity Feed"><ErrorNotice message=err.to_string()/></Card>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LiveFeed(page: FeedPage) -> impl IntoView {
    let tasks = RwSignal::new(page.tasks);
    let connection = RwSignal::new(Connection::Connecting);
    let run_check = ServerAction::<RunSiteCheck>::new();

    // The queued task appears at once; the stream then carries its progress.
    Effect::new(move |_| {
        if let Some(Ok(task)) = run_check.value().get() {
            tasks.update(|tasks| add_started_task(tasks, task));
        }
    });

    #[cfg(feature = "hydrate")]
    {
        let after = page.last_event_id;
        Effect::new(move |_| live::follow(after, tasks, connection));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = page.last_event_id;

    let run_error = move || match run_check.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    let actions = move || {
        view! {
            <div class="flex items-center gap-3">
                <ConnectionIndicator connection/>
                <Button attr:data-testid="run-site-check"
                    attr:disabled=move || run_check.pending().get()
                    on:click=move |_| { run_check.dispatch(RunSiteCheck {}); }>
                    {move || if run_check.pending().get() { "Queuing…" } else { "Run site check" }}
                </Button>
            </div>
        }
    };
    view! {
        <Card title="AI Activity Feed" actions=ViewFn::from(actions)>
            <Show when=move || run_error().is_some()>
                <ErrorNotice message=run_error().unwrap_or_default()/>
            </Show>
            <Show when=move || !tasks.with(|t| t.is_empty())
                fallback=|| view! {
                    <EmptyState testid="feed-empty" message="No agent activity yet. Run a site check to see an agent at work."/>
                }>
                <ul class="divide-y divide-slate-100" data-testid="activity-feed">
                    <For each=move || by_campaign(tasks.get()) key=|group| group.key() let:group>
                        {match group {
                            FeedGroup::Task(task) => view! { <TaskRow task=*task/> }.into_any(),
                            FeedGroup::Campaign(name, tasks) => view! {
                                <li class="py-2" data-testid="campaign">
                                    <p class="text-xs font-semibold uppercase tracking-wide text-slate-500">{format!("Campaign: {name}")}</p>
                                    <ul class="divide-y divide-slate-100 border-l-2 border-indigo-100 pl-3">
                                        {tasks.into_iter().map(|task| view! { <TaskRow task/> }).collect_view()}
                                    </ul>
                                </li>
                            }.into_any(),
                        }}
                    </For>
                </ul>
            </Show>
            <a href=crate::dashboard::href("/dashboard/activity") class="mt-3 inline-block text-sm text-indigo-700 hover:underline">"Full history →"</a>
        </Card>
    }
}

/// A row of the feed: a task on its own, or the tasks of one campaign together (placed
/// where its newest task is).
#[derive(Clone)]
enum FeedGroup {
    Task(Box<AgentTask>),
    Campaign(String, Vec<AgentTask>),
}

impl FeedGroup {
    /// Changes whenever what the row shows changes, so the row is redrawn.
    fn key(&self) -> String {
        match self {
            FeedGroup::Task(task) => format!("{}@{}", task.id, task.updated_at),
            FeedGroup::Campaign(name, tasks) => {
                let newest = tasks.iter().map(|t| t.updated_at).max().unwrap_or_default();
                format!("campaign:{name}@{newest}:{}", tasks.len())
            }
        }
    }
}

fn by_campaign(tasks: Vec<AgentTask>) -> Vec<FeedGroup> {
    let mut groups: Vec<FeedGroup> = Vec::new();
    for task in tasks {
        match task.campaign_id.clone() {
            Some(campaign) => match groups
                .iter_mut()
                .find(|g| matches!(g, FeedGroup::Campaign(name, _) if *name == campaign))
            {
                Some(FeedGroup::Campaign(_, members)) => members.push(task),
                _ => groups.push(FeedGroup::Campaign(campaign, vec![task])),
            },
            None => groups.push(FeedGroup::Task(Box::new(task))),
        }
    }
    groups
}

#[component]
fn ConnectionIndicator(connection: RwSignal<Connection>) -> impl IntoView {
    let (dot, text) = (
        move || match connection.get() {
            Connection::Live => "bg-green-500",
            Connection::Connecting => "bg-slate-400",
            Connection::Reconnecting => "bg-amber-500 animate-pulse",
        },
        move || match connection.get() {
            Connection::Live => "Live",
            Connection::Connecting => "Connecting…",
            Connection::Reconnecting => "Reconnecting…",
        },
    );
    view! {
        <span class="inline-flex items-center gap-1.5 text-xs text-slate-600" data-testid="feed-connection" aria-live="polite">
            <span class=move || format!("h-2 w-2 rounded-full {}", dot())></span>
            {text}
        </span>
    }
}

#[component]
pub fn TaskRow(task: AgentTask) -> impl IntoView {
    let status = task.status;
    let progress = task.progress;
    let title = task.title();
    let summary = task.summary.clone();
    let error = task.error.clone();
    let elapsed = elapsed_label(&task);
    let report = site_report(&task);
    let shows_progress = task.shows_progress();
    view! {
        <li class="py-3 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1" data-task-id=task.id.clone()
            data-task-status=status.as_str()>
            <div class="flex items-center gap-2">
                <AgentIcon/>
                <span class="font-medium text-slate-900">{title.clone()}</span>
                <StatusBadge status=status/>
            </div>
            <span class="text-xs text-slate-600 tabular-nums" data-testid="task-time">{elapsed}</span>
            {shows_progress.then(|| view! {
                <div class="col-span-2 flex items-center gap-3">
                    <ProgressBar value=progress label=format!("{title} progress")/>
                    <span class="text-xs tabular-nums text-slate-600 w-10 text-right" data-testid="task-progress">{format!("{progress}%")}</span>
                </div>
            })}
            {summary.map(|s| view! { <p class="col-span-2 text-sm text-slate-600" data-testid="task-summary">{s}</p> })}
            {report.map(|pages| view! {
                <details class="col-span-2 text-sm text-slate-700" data-testid="task-report">
                    <summary class="cursor-pointer text-indigo-700">"Report"</summary>
                    <ul class="mt-1 space-y-1">
                        {pages.into_iter().map(|(path, problems)| view! {
                            <li>
                                <code class="text-xs">{path}</code>
                                {if problems.is_empty() {
                                    view! { <span class="ml-2 text-green-700">"✓ all good"</span> }.into_any()
                                } else {
                                    view! { <ul class="ml-4 list-disc text-amber-800">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> }.into_any()
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {error.map(|e| view! {
                <details class="col-span-2 text-sm text-red-700" data-testid="task-error">
                    <summary class="cursor-pointer">"What went wrong"</summary>
                    <pre class="mt-1 whitespace-pre-wrap font-sans">{e}</pre>
                </details>
            })}
        </li>
    }
}

/// A small spark: "an agent did this". Inline SVG, so no icon font or emoji font is needed.
#[component]
fn AgentIcon() -> impl IntoView {
    view! {
        <svg class="h-4 w-4 text-indigo-500" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="M10 1l2.2 5.8L18 9l-5.8 2.2L10 17l-2.2-5.8L2 9l5.8-2.2z"/>
        </svg>
    }
}

/// The pages of a site check's report with their problems, the pages with problems first.
fn site_report(task: &AgentTask) -> Option<Vec<(String, Vec<String>)>> {
    let pages = task.metadata.get("pages")?.as_array()?;
    let mut report: Vec<(String, Vec<String>)> = pages
        .iter()
        .map(|page| {
            let path = page["path"].as_str().unwrap_or_default().to_string();
            let problems = page["problems"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|p| p.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (path, problems)
        })
        .collect();
    report.sort_by_key(|(_, problems)| problems.is_empty());
    Some(report)
}

/// "queued", "running", "took 3.2 s" for work that took a while, and otherwise when it
/// happened: a lead captured in an instant took no time worth showing.
fn elapsed_label(task: &AgentTask) -> String {
    use super::TaskStatus;
    match (task.status, task.started_at, task.completed_at) {
        (TaskStatus::Pending, ..) => "queued".to_string(),
        (TaskStatus::Running, ..) => "running".to_string(),
        (_, Some(start), Some(end)) if end - start >= 1_000 => {
            format!("took {}", crate::time::duration_label(end - start))
        }
        (_, _, end) => crate::time::day_time_label(end.unwrap_or(task.created_at)),
    }
}

#[cfg(feature = "hydrate")]
mod live {
    //! The browser side of the stream. EventSource reconnects by itself and sends
    //! `Last-Event-ID`, so the server replays whatever was missed.

    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    use super::Connection;
    use crate::activity::{apply_task_event, AgentTask, AgentTaskEvent};

    pub fn follow(after: i64, tasks: RwSignal<Vec<AgentTask>>, connection: RwSignal<Connection>) {
        let Ok(source) = EventSource::new(&crate::tenancy::address::api_url(&format!(
            "/api/agent-tasks/stream?after={after}"
        ))) else {
            connection.set(Connection::Reconnecting);
            return;
        };
        let on_open = Closure::<dyn FnMut()>::new(move || connection.set(Connection::Live));
        let on_error =
            Closure::<dyn FnMut()>::new(move || connection.set(Connection::Reconnecting));
        let on_task = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let Some(data) = message.data().as_string() else {
                return;
            };
            match serde_json::from_str::<AgentTaskEvent>(&data) {
                Ok(event) => tasks.update(|tasks| apply_task_event(tasks, event.task)),
                Err(err) => leptos::logging::warn!("unreadable feed event: {err}"),
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let _ = source.add_event_listener_with_callback("task", on_task.as_ref().unchecked_ref());
        let held = SendWrapper::new((source, on_open, on_error, on_task));
        on_cleanup(move || {
            let (source, ..) = held.take();
            source.close();
        });
    }
}
