"use client";
// Errors of a signed-in page (inside the app shell): "busy, try again" or a generic message.
export { ErrorPage as default } from "@/components/errors/ErrorPage";
