import type { DashboardRole } from "@/lib/auth/dashboard-users";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: DashboardRole; sessionVersion: number };
  }
  interface User {
    role: DashboardRole;
    sessionVersion: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    id?: string;
    role?: DashboardRole;
    /** The user's session version at sign-in (see dashboard_users.session_version). */
    sessionVersion?: number;
  }
}
