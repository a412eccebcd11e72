"""Makes N tenants t1..tN, each a copy of acme (its theme, settings, pages and
products, with the realistic home page of home_page.py): the sites an agency runs."""
import sqlite3, sys

count, path = int(sys.argv[1]), sys.argv[2]
db = sqlite3.connect(path)
acme = db.execute("select id from tenants where slug = 'acme'").fetchone()[0]
columns = lambda table: [row[1] for row in db.execute(f"pragma table_info({table})")]


def copy(table, where, replaced):
    """Copies the rows of `table` matching `where` (acme's), with `replaced` columns set."""
    cols = columns(table)
    exprs = ["?" if c in replaced else c for c in cols]
    params = [replaced[c] for c in cols if c in replaced]
    db.execute(f"insert into {table} ({', '.join(cols)}) select {', '.join(exprs)} "
               f"from {table} where {where} = ?", params + [acme])


for n in range(1, count + 1):
    tenant = f"scale-{n:06d}"
    copy("tenants", "id", {"id": tenant, "slug": f"t{n}", "name": f"Tenant {n} Tools"})
    copy("pages", "tenant_id", {"tenant_id": tenant})
    copy("products", "tenant_id", {"tenant_id": tenant})
db.commit()
print(f"{count} tenants made")
