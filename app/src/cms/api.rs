//! Server functions of the CMS. Viewers read; editors and above write. Each collection
//! has the same few calls, all through the generic steps at the bottom.

use std::future::Future;

use leptos::prelude::*;
use server_fn::codec::Json;

use super::{
    AuditEntry, Collection, Content, Document, Page, PageContent, Post, PostContent, Product,
    ProductContent, VersionSummary,
};
use crate::error::AppError;

/// The server functions of one kind of content, so screens can be written once for
/// every collection (`Editor<C>`, the content list) and call the right ones.
pub trait ContentCalls: Content + Send + Sync + 'static {
    fn list() -> impl Future<Output = Result<Vec<Document<Self>>, AppError>> + Send;
    fn get(id: String) -> impl Future<Output = Result<Document<Self>, AppError>> + Send;
    fn create(
        slug: String,
        content: Self,
    ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send;
    fn save(
        id: String,
        base_revision: i64,
        content: Self,
    ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send;
    fn publish(id: String) -> impl Future<Output = Result<Document<Self>, AppError>> + Send;
    fn change_slug(
        id: String,
        slug: String,
    ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send;
    /// The save as a request the browser can send by itself while the page goes away:
    /// the server function's address and its JSON arguments.
    fn save_request(id: String, base_revision: i64, content: Self) -> (&'static str, String);
}

macro_rules! content_calls {
    ($content:ty: $list:ident, $get:ident, $create:ident, $save:ident, $Save:ident, $publish:ident, $change_slug:ident) => {
        impl ContentCalls for $content {
            fn list() -> impl Future<Output = Result<Vec<Document<Self>>, AppError>> + Send {
                $list()
            }
            fn get(id: String) -> impl Future<Output = Result<Document<Self>, AppError>> + Send {
                $get(id)
            }
            fn create(
                slug: String,
                content: Self,
            ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send {
                $create(slug, content)
            }
            fn save(
                id: String,
                base_revision: i64,
                content: Self,
            ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send {
                $save(id, base_revision, content)
            }
            fn publish(
                id: String,
            ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send {
                $publish(id)
            }
            fn change_slug(
                id: String,
                slug: String,
            ) -> impl Future<Output = Result<Document<Self>, AppError>> + Send {
                $change_slug(id, slug)
            }
            fn save_request(
                id: String,
                base_revision: i64,
                content: Self,
            ) -> (&'static str, String) {
                let save = $Save {
                    id,
                    base_revision,
                    content,
                };
                (
                    <$Save as server_fn::ServerFn>::PATH,
                    serde_json::to_string(&save).unwrap_or_default(),
                )
            }
        }
    };
}

content_calls!(PageContent: list_pages, get_page, create_page, save_page_draft, SavePageDraft, publish_page, change_page_slug);
content_calls!(PostContent: list_posts, get_post, create_post, save_post_draft, SavePostDraft, publish_post, change_post_slug);
content_calls!(ProductContent: list_products, get_product, create_product, save_product_draft, SaveProductDraft, publish_product, change_product_slug);

#[server(prefix = "/api", endpoint = "cms/pages")]
pub async fn list_pages() -> Result<Vec<Page>, AppError> {
    steps::list().await
}

#[server(prefix = "/api", endpoint = "cms/page")]
pub async fn get_page(id: String) -> Result<Page, AppError> {
    steps::get(&id).await
}

#[server(prefix = "/api", endpoint = "cms/create_page", input = Json)]
pub async fn create_page(slug: String, content: PageContent) -> Result<Page, AppError> {
    steps::create(&slug, content).await
}

#[server(prefix = "/api", endpoint = "cms/save_draft", input = Json)]
pub async fn save_page_draft(
    id: String,
    base_revision: i64,
    content: PageContent,
) -> Result<Page, AppError> {
    steps::save(&id, base_revision, content).await
}

#[server(prefix = "/api", endpoint = "cms/publish")]
pub async fn publish_page(id: String) -> Result<Page, AppError> {
    steps::publish(&id).await
}

#[server(prefix = "/api", endpoint = "cms/page_slug")]
pub async fn change_page_slug(id: String, slug: String) -> Result<Page, AppError> {
    steps::change_slug(&id, &slug).await
}

#[server(prefix = "/api", endpoint = "cms/posts")]
pub async fn list_posts() -> Result<Vec<Post>, AppError> {
    steps::list().await
}

#[server(prefix = "/api", endpoint = "cms/post")]
pub async fn get_post(id: String) -> Result<Post, AppError> {
    steps::get(&id).await
}

#[server(prefix = "/api", endpoint = "cms/create_post", input = Json)]
pub async fn create_post(slug: String, content: PostContent) -> Result<Post, AppError> {
    steps::create(&slug, content).await
}

#[server(prefix = "/api", endpoint = "cms/save_post", input = Json)]
pub async fn save_post_draft(
    id: String,
    base_revision: i64,
    content: PostContent,
) -> Result<Post, AppError> {
    steps::save(&id, base_revision, content).await
}

#[server(prefix = "/api", endpoint = "cms/publish_post")]
pub async fn publish_post(id: String) -> Result<Post, AppError> {
    steps::publish(&id).await
}

#[server(prefix = "/api", endpoint = "cms/post_slug")]
pub async fn change_post_slug(id: String, slug: String) -> Result<Post, AppError> {
    steps::change_slug(&id, &slug).await
}

#[server(prefix = "/api", endpoint = "cms/products")]
pub async fn list_products() -> Result<Vec<Product>, AppError> {
    steps::list().await
}

#[server(prefix = "/api", endpoint = "cms/product")]
pub async fn get_product(id: String) -> Result<Product, AppError> {
    steps::get(&id).await
}

#[server(prefix = "/api", endpoint = "cms/create_product", input = Json)]
pub async fn create_product(slug: String, content: ProductContent) -> Result<Product, AppError> {
    steps::create(&slug, content).await
}

#[server(prefix = "/api", endpoint = "cms/save_product", input = Json)]
pub async fn save_product_draft(
    id: String,
    base_revision: i64,
    content: ProductContent,
) -> Result<Product, AppError> {
    steps::save(&id, base_revision, content).await
}

#[server(prefix = "/api", endpoint = "cms/publish_product")]
pub async fn publish_product(id: String) -> Result<Product, AppError> {
    steps::publish(&id).await
}

#[server(prefix = "/api", endpoint = "cms/product_slug")]
pub async fn change_product_slug(id: String, slug: String) -> Result<Product, AppError> {
    steps::change_slug(&id, &slug).await
}

/// The kept versions of a document, newest first, with what each changed.
#[server(prefix = "/api", endpoint = "cms/versions")]
pub async fn list_versions(
    collection: Collection,
    id: String,
) -> Result<Vec<VersionSummary>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let (db, tenant) = (&state.db, member.tenant_id.as_str());
    Ok(crate::cms::with_content!(collection, |C| {
        crate::cms::store::versions::<C>(db, tenant, &id).await?
    }))
}

/// Makes a kept version the draft again; returns the draft's new revision.
#[server(prefix = "/api", endpoint = "cms/restore")]
pub async fn restore_version(
    collection: Collection,
    id: String,
    number: i64,
) -> Result<i64, AppError> {
    Ok(crate::cms::with_content!(collection, |C| {
        steps::restore::<C>(&id, number).await?.revision
    }))
}

/// Takes a document off the site (the draft stays).
#[server(prefix = "/api", endpoint = "cms/unpublish")]
pub async fn unpublish(collection: Collection, id: String) -> Result<(), AppError> {
    crate::cms::with_content!(collection, |C| steps::unpublish::<C>(&id).await)
}

#[server(prefix = "/api", endpoint = "cms/delete")]
pub async fn delete_document(collection: Collection, id: String) -> Result<(), AppError> {
    crate::cms::with_content!(collection, |C| steps::delete::<C>(&id).await)
}

/// Publishes the draft as it is at `at` (unix milliseconds): a job, shown in the activity
/// feed, that runs even if the server restarts in between.
#[server(prefix = "/api", endpoint = "cms/schedule")]
pub async fn schedule_publish(
    collection: Collection,
    id: String,
    at: i64,
) -> Result<crate::activity::AgentTask, AppError> {
    use crate::auth::session::require_in_server_fn;
    use crate::cms::Content;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Editor).await?;
    let now = crate::server::now_ms();
    const YEAR_MS: i64 = 366 * 24 * 3600 * 1000;
    if at < now - 60_000 || at > now + YEAR_MS {
        return Err(AppError::Invalid(
            "Choose a time in the future, at most a year from now.".into(),
        ));
    }
    let (db, tenant) = (&state.db, member.tenant_id.as_str());
    // The draft must be publishable now; it is checked again when the time comes.
    let (title, problems) = crate::cms::with_content!(collection, |C| {
        let draft = crate::cms::store::document::<C>(db, tenant, &id)
            .await?
            .draft;
        (draft.title().to_string(), draft.problems())
    });
    if !problems.is_empty() {
        return Err(AppError::Invalid(format!(
            "Fix the draft before scheduling it: {}",
            problems.join(" ")
        )));
    }
    let created = crate::activity::store::create_task_with_job(
        db,
        tenant,
        &crate::jobs::JobKind::ScheduledPublish(super::ScheduledPublish {
            collection,
            id: id.clone(),
            user_id: member.user_id.clone(),
            user_name: member.display_name().to_string(),
        }),
        at,
    )
    .await?;
    let update = crate::activity::store::TaskUpdate {
        summary: Some(format!(
            "“{title}” will be published at {}.",
            crate::time::day_time_label(at)
        )),
        ..Default::default()
    };
    let event = crate::activity::store::update_task(db, tenant, &created.task.id, update).await?;
    let task = event.task.clone();
    tracing::info!(tenant = %member.tenant_slug, user = %member.email, %collection, %id, at, "publish scheduled");
    Ok(task)
}

/// Who changed what, newest first (owners and admins).
#[server(prefix = "/api", endpoint = "cms/audit")]
pub async fn audit_log(page: i64) -> Result<Vec<AuditEntry>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    const PER_PAGE: i64 = 50;
    let offset = (page.clamp(1, crate::sites::MAX_PAGE) - 1) * PER_PAGE;
    Ok(crate::cms::store::audit_log(&state.db, &member.tenant_id, offset, PER_PAGE).await?)
}

/// A document as the live site would show it, drawn by the site's own renderer in the
/// tenant's theme, from content that need not be saved. Marked `noindex`; the editor
/// shows it in a sandboxed frame (no scripts, no form posts).
#[server(prefix = "/api", endpoint = "cms/preview", input = Json)]
pub async fn preview(
    collection: Collection,
    slug: String,
    content: serde_json::Value,
) -> Result<String, AppError> {
    use crate::auth::session::require_in_server_fn;
    use crate::sites::load::{load, Draft, Found, What};
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let tenant = crate::tenancy::store::tenant_by_id(&state.db, &member.tenant_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Your site".into()))?;
    let origin = crate::sites::host::tenant_origin(&state, &tenant.slug);
    let draft = Draft::read(collection, &slug, content)
        .map_err(|e| AppError::Invalid(format!("The content cannot be read: {e}")))?;
    let Found::Page(html) = load(&state.db, &tenant, &origin, What::Draft(&draft)).await? else {
        return Err(AppError::Internal);
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::HeaderName::from_static("x-robots-tag"),
            http::HeaderValue::from_static("noindex"),
        );
    }
    Ok(crate::sites::render::mark_preview(&html))
}

/// The checks and store calls behind every collection's server functions: the member's
/// role first, their own tenant always, content validated before anything is written.
#[cfg(feature = "ssr")]
mod steps {
    use crate::auth::session::require_in_server_fn;
    use crate::auth::Member;
    use crate::cms::store::{self, Actor};
    use crate::cms::{Content, Document};
    use crate::error::AppError;
    use crate::tenancy::Role;

    fn actor(member: &Member) -> Actor<'_> {
        Actor {
            user_id: Some(&member.user_id),
            name: member.display_name(),
        }
    }

    pub async fn list<C: Content>() -> Result<Vec<Document<C>>, AppError> {
        let (state, member) = require_in_server_fn(Role::Viewer).await?;
        Ok(store::documents(&state.db, &member.tenant_id).await?)
    }

    pub async fn get<C: Content>(id: &str) -> Result<Document<C>, AppError> {
        let (state, member) = require_in_server_fn(Role::Viewer).await?;
        Ok(store::document(&state.db, &member.tenant_id, id).await?)
    }

    fn check<C: Content>(content: &C) -> Result<(), AppError> {
        let problems = content.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(problems.join(" ")))
        }
    }

    fn check_slug<C: Content>(slug: &str) -> Result<(), AppError> {
        match C::slug_problem(slug) {
            Some(problem) => Err(AppError::Invalid(problem)),
            None => Ok(()),
        }
    }

    pub async fn create<C: Content>(slug: &str, content: C) -> Result<Document<C>, AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        check_slug::<C>(slug)?;
        check(&content)?;
        let document = store::create(
            &state.db,
            &member.tenant_id,
            actor(&member),
            slug,
            &content,
            false,
        )
        .await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, id = %document.id, "created");
        Ok(document)
    }

    pub async fn save<C: Content>(
        id: &str,
        base_revision: i64,
        content: C,
    ) -> Result<Document<C>, AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        check(&content)?;
        let document = store::save_draft(
            &state.db,
            &member.tenant_id,
            actor(&member),
            id,
            base_revision,
            &content,
        )
        .await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, %id, "draft saved");
        Ok(document)
    }

    pub async fn publish<C: Content>(id: &str) -> Result<Document<C>, AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        let current = store::document::<C>(&state.db, &member.tenant_id, id).await?;
        let problems = current.draft.publish_problems();
        if !problems.is_empty() {
            return Err(AppError::Invalid(format!(
                "Not published yet: {}",
                problems.join(" ")
            )));
        }
        let document = store::publish(&state.db, &member.tenant_id, actor(&member), id).await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, %id, "published");
        Ok(document)
    }

    pub async fn change_slug<C: Content>(id: &str, slug: &str) -> Result<Document<C>, AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        check_slug::<C>(slug)?;
        let document =
            store::change_slug(&state.db, &member.tenant_id, actor(&member), id, slug).await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, %id, %slug, "slug changed");
        Ok(document)
    }

    pub async fn restore<C: Content>(id: &str, number: i64) -> Result<Document<C>, AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        let document =
            store::restore(&state.db, &member.tenant_id, actor(&member), id, number).await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, %id, number, "version restored");
        Ok(document)
    }

    pub async fn unpublish<C: Content>(id: &str) -> Result<(), AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        store::unpublish::<C>(&state.db, &member.tenant_id, actor(&member), id).await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, %id, "unpublished");
        Ok(())
    }

    pub async fn delete<C: Content>(id: &str) -> Result<(), AppError> {
        let (state, member) = require_in_server_fn(Role::Editor).await?;
        store::delete::<C>(&state.db, &member.tenant_id, actor(&member), id).await?;
        tracing::info!(tenant = %member.tenant_slug, user = %member.email, kind = C::NOUN, %id, "deleted");
        Ok(())
    }
}
