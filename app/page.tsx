import { redirect } from "next/navigation";
import { connection } from "next/server";
import { currentDefaultModel } from "@/lib/probe/default-model";

/** `/` lands on the model the memory probe picks for this server, decided per request. */
export default async function Home() {
  await connection();
  redirect(`/chat/${currentDefaultModel().model.id}`);
}
