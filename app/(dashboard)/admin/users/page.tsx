import type { Metadata } from "next";
import { ActionButton } from "@/components/action-button";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { ADMIN_ROLES } from "@/lib/auth/admin-actions";
import { requireUser } from "@/lib/auth/dashboard";
import { listDashboardUsers } from "@/lib/auth/user-admin";
import { setActiveAction } from "./actions";
import { CreateUserForm, ResetPasswordButton, RoleForm } from "./user-forms";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireUser(ADMIN_ROLES);
  const users = await listDashboardUsers(getDb());
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to the dashboard, and as what. A change applies at the person's next request; disabling someone or resetting their password signs them out."
      />
      <Card title={`Users (${users.length})`} className="mb-6">
        <Table
          label="Dashboard users"
          rows={users}
          rowKey={(u) => u.id}
          empty={{ title: "No users yet", body: "Add one below, or with npm run user." }}
          columns={[
            {
              header: "User",
              className: "min-w-48",
              cell: (u) => (
                <>
                  <span className="font-medium text-slate-900">{u.name}</span>
                  {u.id === me.id ? <span className="text-slate-500"> (you)</span> : null}
                  <span className="block text-xs break-all text-slate-600">{u.email}</span>
                </>
              ),
            },
            { header: "Role", cell: (u) => <RoleForm userId={u.id} email={u.email} role={u.role} /> },
            { header: "Status", cell: (u) => (u.active ? <Badge tone="green">Active</Badge> : <Badge tone="gray">Disabled</Badge>) },
            { header: "Added", className: "whitespace-nowrap text-slate-600", cell: (u) => <Timestamp iso={u.createdAt.toISOString()} relative={false} /> },
            {
              header: "Actions",
              cell: (u) => (
                <div className="flex flex-col items-start gap-2">
                  {u.active ? (
                    <ActionButton
                      action={setActiveAction}
                      fields={{ id: u.id, active: "false" }}
                      label="Disable"
                      look="small"
                      accessibleLabel={`Disable ${u.email}`}
                      confirm={u.id === me.id ? "Disable your own user? You are signed out at once and cannot sign in again." : `Disable ${u.email}? They are signed out at their next request.`}
                    />
                  ) : (
                    <ActionButton action={setActiveAction} fields={{ id: u.id, active: "true" }} label="Enable" look="small" accessibleLabel={`Enable ${u.email}`} />
                  )}
                  <ResetPasswordButton userId={u.id} email={u.email} />
                </div>
              ),
            },
          ]}
        />
      </Card>
      <Card title="Add a user" id="add-user">
        <CreateUserForm />
      </Card>
    </>
  );
}
