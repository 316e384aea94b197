"use client";
// Errors of the signed-in shell itself (its session lookup) and of pages outside it.
export { ErrorPage as default } from "@/components/errors/ErrorPage";
