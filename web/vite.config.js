import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served under /app/ by the local stack and by CloudFront, so asset URLs are relative to that.
export default defineConfig({
  base: "./",
  plugins: [react()],
  // ajv and react-jsonschema-form are most of the client: they are in the chunk of the pages that draw a form
  // (App.jsx loads those lazily), so the first page a phone loads stays small (bench/web_first_load.py).
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
});
