import type { PublicModel } from "@/lib/registry/public";

/** What the chat page's client components know of its model (the public view). */
export type ChatModel = PublicModel;

/** One entry of the model switcher, formatted on the server. */
export type SwitcherEntry = {
  id: string;
  name: string;
  size: string;
  status: "active" | "legacy";
  served: boolean;
  isDefault: boolean;
};
