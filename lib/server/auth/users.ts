import "server-only";
import { isRole, type Role } from "@/lib/roles";
import type { AppPrismaClient } from "../../node/db/connection.ts";

export type { Role } from "@/lib/roles";

export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  /** The stored Django password hash. */
  readonly password: string;
  readonly isActive: boolean;
  readonly role: Role | null;
}

/** Django's auth_user as authentication needs it. */
export interface UserStore {
  findByUsername(username: string): Promise<UserRecord | null>;
  findById(id: string | number): Promise<UserRecord | null>;
  setPassword(id: number, passwordHash: string): Promise<UserRecord>;
  touchLastLogin(id: number, at: Date): Promise<void>;
}

const include = { role: true } as const;

type Row = { id: number; username: string; firstName: string; password: string; isActive: boolean; role: { role: string } | null };

function toRecord(row: Row): UserRecord {
  const role = row.role?.role;
  return {
    id: row.id,
    username: row.username,
    firstName: row.firstName,
    password: row.password,
    isActive: row.isActive,
    role: isRole(role) ? role : null,
  };
}

export function createUserStore(prisma: AppPrismaClient): UserStore {
  return {
    async findByUsername(username) {
      const row = await prisma.authUser.findUnique({ where: { username }, include });
      return row ? toRecord(row) : null;
    },
    async findById(id) {
      const numeric = typeof id === "number" ? id : /^\d{1,10}$/.test(id) ? Number(id) : NaN;
      if (!Number.isSafeInteger(numeric)) return null;
      const row = await prisma.authUser.findUnique({ where: { id: numeric }, include });
      return row ? toRecord(row) : null;
    },
    async setPassword(id, passwordHash) {
      return toRecord(await prisma.authUser.update({ where: { id }, data: { password: passwordHash }, include }));
    },
    async touchLastLogin(id, at) {
      await prisma.authUser.update({ where: { id }, data: { lastLogin: at } });
    },
  };
}
