// Builds the web map into api/assets/web/, which the passerelle binary embeds
// (api/src/http/web.rs). File names are fixed (the server revalidates them by ETag), and
// every GraphQL document the page sends is a persisted one: `src/documents/*.graphql`
// are imported as `{ id, name }` and written, text by SHA-256, to documents.json, the
// manifest the server trusts alongside any configured one.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { defineConfig } from "vite";

function persistedDocuments() {
  const documents = new Map();
  return {
    name: "passerelle-persisted-documents",
    load(id) {
      if (!id.endsWith(".graphql")) return null;
      const text = readFileSync(id, "utf8").trim();
      const operations = [...text.matchAll(/^(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/gm)];
      if (operations.length !== 1) {
        this.error(`${id}: a document holds exactly one named operation (found ${operations.length})`);
      }
      const hash = createHash("sha256").update(text).digest("hex");
      documents.set(hash, text);
      return `export default ${JSON.stringify({ id: `sha256:${hash}`, name: operations[0][2], kind: operations[0][1] })};`;
    },
    generateBundle() {
      const manifest = Object.fromEntries([...documents.entries()].sort(([a], [b]) => a.localeCompare(b)));
      this.emitFile({ type: "asset", fileName: "documents.json", source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  base: "/web/",
  plugins: [persistedDocuments()],
  build: {
    outDir: "../api/assets/web",
    emptyOutDir: true,
    // Leaflet's few images go inline: the page loads app.js and app.css, nothing else.
    assetsInlineLimit: 100_000,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    target: "es2022",
    rollupOptions: {
      output: {
        entryFileNames: "app.js",
        chunkFileNames: "app-[name].js",
        assetFileNames: "app[extname]",
      },
    },
  },
});
