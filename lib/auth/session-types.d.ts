import type { DashboardRole } from "@/lib/auth/dashboard-users";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: DashboardRole };
  }
  interface User {
    role: DashboardRole;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    id?: string;
    role?: DashboardRole;
  }
}
