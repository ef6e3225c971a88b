"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";

const TimeZoneContext = createContext("UTC");

/** The display time zone chosen on the server (see lib/dashboard/time-zone.ts). */
export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

export function Providers({ children, timeZone }: { children: ReactNode; timeZone: string }) {
  // One client per browser tab (not per render, not shared between requests on the server).
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: 1 } },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>
    </QueryClientProvider>
  );
}
