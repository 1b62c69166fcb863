-- CreateTable
CREATE TABLE "django_session" (
    "session_key" VARCHAR(40) NOT NULL,
    "session_data" TEXT NOT NULL,
    "expire_date" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "django_session_pkey" PRIMARY KEY ("session_key")
);

-- CreateTable
CREATE TABLE "sessionscope_session_meta" (
    "session_key" VARCHAR(40) NOT NULL,
    "public_id" VARCHAR(24) NOT NULL,
    "user_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL,
    "last_activity" TIMESTAMPTZ(6),
    "ip" VARCHAR(45),
    "user_agent" VARCHAR(512),
    "engine" VARCHAR(16) NOT NULL,

    CONSTRAINT "sessionscope_session_meta_pkey" PRIMARY KEY ("session_key")
);

-- CreateTable
CREATE TABLE "auth_user" (
    "id" SERIAL NOT NULL,
    "password" VARCHAR(128) NOT NULL,
    "last_login" TIMESTAMPTZ(6),
    "is_superuser" BOOLEAN NOT NULL,
    "username" VARCHAR(150) NOT NULL,
    "first_name" VARCHAR(150) NOT NULL,
    "last_name" VARCHAR(150) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "is_staff" BOOLEAN NOT NULL,
    "is_active" BOOLEAN NOT NULL,
    "date_joined" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "auth_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessionscope_user_role" (
    "user_id" INTEGER NOT NULL,
    "role" VARCHAR(16) NOT NULL,

    CONSTRAINT "sessionscope_user_role_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "shop_product" (
    "id" SERIAL NOT NULL,
    "slug" VARCHAR(64) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "description" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "image_hue" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL,

    CONSTRAINT "shop_product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop_order" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER,
    "total_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "shop_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop_order_line" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "product_id" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "price_cents" INTEGER NOT NULL,

    CONSTRAINT "shop_order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessionscope_policy" (
    "id" INTEGER NOT NULL,
    "cookie_age" INTEGER NOT NULL,
    "idle_timeout_seconds" INTEGER,
    "absolute_lifetime_seconds" INTEGER,
    "expire_at_browser_close" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "sessionscope_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessionscope_audit" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "actor_id" INTEGER,
    "action" VARCHAR(64) NOT NULL,
    "target" VARCHAR(128),
    "detail" TEXT,

    CONSTRAINT "sessionscope_audit_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "sessionscope_user_role" ADD CONSTRAINT "sessionscope_user_role_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_order_line" ADD CONSTRAINT "shop_order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "shop_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_order_line" ADD CONSTRAINT "shop_order_line_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "shop_product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
