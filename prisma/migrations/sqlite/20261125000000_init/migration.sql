-- CreateTable
CREATE TABLE "django_session" (
    "session_key" TEXT NOT NULL PRIMARY KEY,
    "session_data" TEXT NOT NULL,
    "expire_date" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "sessionscope_session_meta" (
    "session_key" TEXT NOT NULL PRIMARY KEY,
    "public_id" TEXT NOT NULL,
    "user_id" INTEGER,
    "created_at" DATETIME NOT NULL,
    "last_activity" DATETIME,
    "ip" TEXT,
    "user_agent" TEXT,
    "engine" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "auth_user" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "password" TEXT NOT NULL,
    "last_login" DATETIME,
    "is_superuser" BOOLEAN NOT NULL,
    "username" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "is_staff" BOOLEAN NOT NULL,
    "is_active" BOOLEAN NOT NULL,
    "date_joined" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "sessionscope_user_role" (
    "user_id" INTEGER NOT NULL PRIMARY KEY,
    "role" TEXT NOT NULL,
    CONSTRAINT "sessionscope_user_role_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shop_product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "image_hue" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "shop_order" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER,
    "total_cents" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL,
    CONSTRAINT "shop_order_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shop_order_line" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "order_id" INTEGER NOT NULL,
    "product_id" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "price_cents" INTEGER NOT NULL,
    CONSTRAINT "shop_order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "shop_order" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "shop_order_line_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "shop_product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "sessionscope_policy" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "cookie_age" INTEGER NOT NULL,
    "idle_timeout_seconds" INTEGER,
    "absolute_lifetime_seconds" INTEGER,
    "expire_at_browser_close" BOOLEAN NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "sessionscope_audit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor_id" INTEGER,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" TEXT
);

-- CreateIndex
CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session"("expire_date");

-- CreateIndex
CREATE UNIQUE INDEX "sessionscope_session_meta_public_id_key" ON "sessionscope_session_meta"("public_id");

-- CreateIndex
CREATE INDEX "sessionscope_session_meta_user_id_idx" ON "sessionscope_session_meta"("user_id");

-- CreateIndex
CREATE INDEX "sessionscope_session_meta_created_at_idx" ON "sessionscope_session_meta"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "auth_user_username_key" ON "auth_user"("username");

-- CreateIndex
CREATE UNIQUE INDEX "shop_product_slug_key" ON "shop_product"("slug");

-- CreateIndex
CREATE INDEX "shop_order_user_id_idx" ON "shop_order"("user_id");

-- CreateIndex
CREATE INDEX "shop_order_line_order_id_idx" ON "shop_order_line"("order_id");

-- CreateIndex
CREATE INDEX "sessionscope_audit_at_idx" ON "sessionscope_audit"("at");
