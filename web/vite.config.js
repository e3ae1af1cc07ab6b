import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served under /app/ by the local stack and by CloudFront, so asset URLs are relative to that.
export default defineConfig({
  base: "./",
  plugins: [react()],
  // ajv and react-jsonschema-form are most of the bundle; one chunk keeps the static hosting simple.
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 900 },
});
