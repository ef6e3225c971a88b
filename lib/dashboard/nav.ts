import type { DashboardRole } from "@/lib/auth/dashboard-users";

/**
 * The menus entries are grouped under, by purpose, so the navigation fits one line at 1280 px: the two lists every
 * role works from stay on the bar, the rest open from a menu.
 */
export const NAV_GROUPS = ["Integrations", "Configuration", "Admin"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export type NavItem = {
  href: string;
  label: string;
  /** The menu the entry sits in; none: on the bar itself. */
  group?: NavGroup;
  /** Who sees the entry. The page itself must still call requireUser with the same roles. */
  roles: readonly DashboardRole[];
};

export const ALL_ROLES = ["support", "warehouse", "ops", "admin"] as const satisfies readonly DashboardRole[];

/** Who manages dashboard users and API keys (the Admin menu). */
export const ADMIN_ROLES = ["admin"] as const satisfies readonly DashboardRole[];

/** Who reads the integration health page and the channel failures list (the guide: ops and warehouse managers). */
export const METRICS_ROLES = ["warehouse", "ops", "admin"] as const satisfies readonly DashboardRole[];

/** Who may send a dead Shopify push again. */
export const CHANNEL_FAILURE_RETRY_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];

/** Who may edit status mappings and replay failed warehouse events (everyone may look). */
export const STATUS_MAPPING_EDIT_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];

/** Who runs the Shopify channel: shop connections, the SKU map, routing rules and the webhook inbox. */
export const CHANNEL_OPS_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];

/**
 * Who reads the audit log: admins, and ops, who make most of the changes it records and need to see who changed a
 * rule or a mapping before they change it back.
 */
export const AUDIT_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];

/** Who reads the stuck-order thresholds and warehouse cut-offs: warehouse managers see what their orders are held to. */
export const STUCK_THRESHOLD_READ_ROLES = ["warehouse", "ops", "admin"] as const satisfies readonly DashboardRole[];

/** Who changes the stuck-order thresholds and warehouse cut-offs (configuration is ops' and admins'). */
export const STUCK_THRESHOLD_EDIT_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];

/**
 * The dashboard's navigation, in display order. Add an entry only together with the page it points to
 * (no placeholders), and protect that page with requireUser(roles) using the same roles.
 */
export const navItems: readonly NavItem[] = [
  { href: "/orders", label: "Orders", roles: ALL_ROLES },
  { href: "/exceptions", label: "Exceptions", roles: ALL_ROLES },
  { href: "/metrics", label: "Integration health", group: "Integrations", roles: METRICS_ROLES },
  { href: "/webhooks", label: "Webhooks", group: "Integrations", roles: ALL_ROLES },
  { href: "/channel-failures", label: "Channel failures", group: "Integrations", roles: METRICS_ROLES },
  { href: "/failed-events", label: "Failed events", group: "Integrations", roles: ALL_ROLES },
  { href: "/shops", label: "Shops", group: "Integrations", roles: CHANNEL_OPS_ROLES },
  { href: "/status-mapping", label: "Status mapping", group: "Configuration", roles: ALL_ROLES },
  { href: "/sku-map", label: "SKU map", group: "Configuration", roles: CHANNEL_OPS_ROLES },
  { href: "/routing", label: "Routing", group: "Configuration", roles: CHANNEL_OPS_ROLES },
  { href: "/stuck-thresholds", label: "Stuck thresholds", group: "Configuration", roles: STUCK_THRESHOLD_READ_ROLES },
  { href: "/admin/users", label: "Users", group: "Admin", roles: ADMIN_ROLES },
  { href: "/admin/api-keys", label: "API keys", group: "Admin", roles: ADMIN_ROLES },
  { href: "/audit", label: "Audit log", group: "Admin", roles: AUDIT_ROLES },
];


export function navItemsFor(role: DashboardRole): NavItem[] {
  return navItems.filter((item) => item.roles.includes(role));
}

