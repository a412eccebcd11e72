-- Navigation and footer of each tenant's site (JSON: SiteSettings).
alter table tenants add column site_settings text not null default '{}';
