import { currentDefaultModel } from "@/lib/probe/default-model";

export const dynamic = "force-dynamic";

export function GET() {
  const { memory, model, reason } = currentDefaultModel();
  return Response.json({ status: "ok", memory, defaultModel: { id: model.id, reason } });
}
