export * from "./columns";
export * from "./accounts";
export * from "./warehouses";
export * from "./inventory";
export * from "./orders";
export * from "./shipments";
export * from "./outbox";
export * from "./routing";
